/**
 * The workers' meters in the primary's registries: what each worker reports over the
 * control channel, registered in the primary tagged with the worker (or summed), and the
 * filter that keeps the primary's own meters apart.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.metrics;

import org.jspecify.annotations.NullMarked;
