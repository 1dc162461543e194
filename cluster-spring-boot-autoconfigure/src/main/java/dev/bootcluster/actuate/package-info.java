/**
 * The cluster's actuator endpoint.
 */
@NullMarked
package dev.bootcluster.actuate;

import org.jspecify.annotations.NullMarked;
