/**
 * Run a Spring Boot web app as one primary and N worker JVMs sharing one listening socket.
 * This package is the vocabulary an application uses: its role, the workers as the primary
 * sees them, the cluster's state and operations, messaging, and the failures it may meet.
 */
@NullMarked
package dev.bootcluster;

import org.jspecify.annotations.NullMarked;
