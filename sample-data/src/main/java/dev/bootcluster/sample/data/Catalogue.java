package dev.bootcluster.sample.data;

import java.util.List;

import dev.bootcluster.Cluster;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads and adds items. An item never changes once created, so each worker may cache it
 * by id; the list is always read from the database, which every worker shares.
 */
@Service
class Catalogue {

	private final ItemRepository items;

	Catalogue(ItemRepository items) {
		this.items = items;
	}

	@Transactional(readOnly = true)
	List<ItemView> all() {
		return this.items.findAllByOrderByIdDesc().stream().map(Item::view).toList();
	}

	@Cacheable(cacheNames = "items", unless = "#result == null")
	@Transactional(readOnly = true)
	@Nullable ItemView find(long id) {
		return this.items.findById(id).map(Item::view).orElse(null);
	}

	@Transactional
	ItemView add(ItemForm form) {
		return this.items.save(new Item(form.name().strip(), blankToNull(form.description()), Cluster.workerId()))
			.view();
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

}
