/**
 * The worker side: its link to the primary (heartbeats, meter reports, answers to the
 * primary's requests), and the Tomcat connector that accepts on the shared socket and
 * drains without losing a connection.
 */
@NullMarked
package dev.bootcluster.worker;

import org.jspecify.annotations.NullMarked;
