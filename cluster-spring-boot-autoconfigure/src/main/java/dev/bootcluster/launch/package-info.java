/**
 * How a worker is started: its command line, rebuilt from the running primary, its
 * share of the machine, and the AOT cache it starts from.
 * <p>
 * Internal to the starter: no type here is an API.
 */
@NullMarked
package dev.bootcluster.launch;

import org.jspecify.annotations.NullMarked;
