/**
 * The control channel between the primary and its workers: length-prefixed JSON frames
 * over a Unix domain socket in a private directory, each worker proven by a token of its
 * own. Nothing here knows about Spring.
 */
@NullMarked
package dev.bootcluster.ipc;

import org.jspecify.annotations.NullMarked;
