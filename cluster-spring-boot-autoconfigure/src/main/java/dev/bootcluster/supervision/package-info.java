/**
 * Who decides: the primary's supervisor. It forks workers, follows each through its
 * lifecycle, respawns, replaces, scales and stops them, and tells the application. One
 * thread owns the cluster's state and never blocks.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.supervision;

import org.jspecify.annotations.NullMarked;
