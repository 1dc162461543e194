/**
 * How the workers' meters reach the primary's registry: read from a worker's registry,
 * sent over the control channel, registered in the primary's, tagged with the worker.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.metrics;

import org.jspecify.annotations.NullMarked;
