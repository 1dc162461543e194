/**
 * The supervisor: forks workers, follows their lifecycle, respawns them, stops them, and
 * asks them what it needs to know (thread dumps, logger levels).
 */
@NullMarked
package dev.bootcluster.primary;

import org.jspecify.annotations.NullMarked;
