/**
 * How connections reach workers: one class per mode (inherit: the listening socket is
 * handed to each worker; relay: the primary relays bytes) for each half, the primary's
 * ({@link dev.bootcluster.socket.SharedSocket}, chosen when it binds) and the worker's
 * ({@link dev.bootcluster.socket.WorkerSocket}, chosen from the environment the primary
 * started it with). Nothing outside this package tells the modes apart.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.socket;

import org.jspecify.annotations.NullMarked;
