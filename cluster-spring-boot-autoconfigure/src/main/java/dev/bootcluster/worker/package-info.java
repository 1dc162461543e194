/**
 * The worker side: its link to the primary (lifecycle steps, heartbeats, messages, answers
 * to the primary's requests), its load figures, its warm-up and its exit.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.worker;

import org.jspecify.annotations.NullMarked;
