/**
 * Application events: in the primary, one for every step of every worker's lifecycle and
 * for each worker's message; in a worker, the primary's messages and the start of its
 * drain.
 */
@NullMarked
package dev.bootcluster.event;

import org.jspecify.annotations.NullMarked;
