/**
 * The supervisor: forks workers, follows their lifecycle, respawns them, stops them.
 */
@NullMarked
package dev.bootcluster.primary;

import org.jspecify.annotations.NullMarked;
