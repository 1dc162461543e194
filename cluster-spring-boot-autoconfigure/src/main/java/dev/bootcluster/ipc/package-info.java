/**
 * The control channel between the primary and its workers: length-prefixed JSON frames
 * over a Unix domain socket in a private directory, each worker proven by a token of its
 * own. Nothing here knows about Spring.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.ipc;

import org.jspecify.annotations.NullMarked;
