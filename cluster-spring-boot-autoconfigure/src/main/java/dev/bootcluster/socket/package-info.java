/**
 * Binding the shared listen socket and handing it to worker processes.
 */
@NullMarked
package dev.bootcluster.socket;

import org.jspecify.annotations.NullMarked;
