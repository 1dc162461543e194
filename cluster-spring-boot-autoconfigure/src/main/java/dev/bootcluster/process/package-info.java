/**
 * How processes are spawned, signalled and reaped, with the native calls beside it (a
 * Java 22+ section of the multi-release jar).
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.process;

import org.jspecify.annotations.NullMarked;
