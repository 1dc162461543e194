/**
 * How connections reach workers: one class per mode (inherit: the listening socket is
 * handed to each worker; relay: the primary relays bytes), with the primary's and the
 * worker's halves of each.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.socket;

import org.jspecify.annotations.NullMarked;
