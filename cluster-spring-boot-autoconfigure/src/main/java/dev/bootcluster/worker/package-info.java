/**
 * The worker side: its link to the primary, and the Tomcat connector that accepts on the
 * shared socket and drains without losing a connection.
 */
@NullMarked
package dev.bootcluster.worker;

import org.jspecify.annotations.NullMarked;
