/**
 * What actuator shows of the cluster: the {@code cluster} endpoint, its health
 * contributor, its meters and every worker's in the primary's registries, and the
 * primary's {@code loggers} endpoint for the whole cluster.
 */
@NullMarked
package dev.bootcluster.actuate;

import org.jspecify.annotations.NullMarked;
