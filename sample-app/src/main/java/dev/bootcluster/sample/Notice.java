package dev.bootcluster.sample;

import java.time.Instant;

/**
 * A message for every worker's notice board.
 *
 * @param text what it says
 * @param from who posted it: a worker, or the primary
 * @param at when it was posted
 */
record Notice(String text, String from, Instant at) {
}
