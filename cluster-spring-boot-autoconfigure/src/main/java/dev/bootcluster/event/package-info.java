/**
 * Application events published in the primary for every step of every worker's lifecycle.
 */
@NullMarked
package dev.bootcluster.event;

import org.jspecify.annotations.NullMarked;
