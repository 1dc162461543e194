package dev.bootcluster.sample.data;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What pages and the API show of an item (and what the cache holds).
 * @param id its id
 * @param name its name
 * @param description what it is, if said
 * @param createdBy the id of the worker that created it (0 outside a cluster or by a migration)
 * @param createdAt when it was created
 */
record ItemView(@Nullable Long id, String name, @Nullable String description, int createdBy, Instant createdAt) {

}
