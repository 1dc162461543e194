/**
 * Run a Spring Boot web app as one primary and N worker JVMs sharing one listening socket.
 */
@NullMarked
package dev.bootcluster;

import org.jspecify.annotations.NullMarked;
