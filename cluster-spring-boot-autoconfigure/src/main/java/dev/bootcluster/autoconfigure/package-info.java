/**
 * Auto-configuration of the cluster for each role, its properties and conditions, and the
 * primary's part in Boot's lifecycle: the web server factory that starts the supervisor
 * instead of serving, availability from the cluster's state, {@code SIGHUP} as a rolling
 * restart, and the lean primary.
 */
@NullMarked
package dev.bootcluster.autoconfigure;

import org.jspecify.annotations.NullMarked;
