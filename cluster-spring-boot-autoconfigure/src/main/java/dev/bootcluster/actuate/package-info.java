/**
 * What actuator shows of the cluster: the {@code cluster} endpoint, its health
 * contributor, its meters, and the primary's {@code loggers} endpoint for the whole
 * cluster. Built on the public vocabulary only.
 */
@NullMarked
package dev.bootcluster.actuate;

import org.jspecify.annotations.NullMarked;
