/**
 * The primary's application availability, which follows the cluster's.
 */
@NullMarked
package dev.bootcluster.availability;

import org.jspecify.annotations.NullMarked;
