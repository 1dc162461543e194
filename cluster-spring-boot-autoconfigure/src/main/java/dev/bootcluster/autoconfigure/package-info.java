/**
 * Auto-configuration of the cluster for each role, its properties and conditions.
 */
@NullMarked
package dev.bootcluster.autoconfigure;

import org.jspecify.annotations.NullMarked;
