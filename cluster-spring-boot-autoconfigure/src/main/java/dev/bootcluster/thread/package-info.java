/**
 * The threads the starter makes, each named {@code cluster-...} so that thread dumps and
 * logs tell them from the application's. Depends on nothing else of the starter.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.thread;

import org.jspecify.annotations.NullMarked;
