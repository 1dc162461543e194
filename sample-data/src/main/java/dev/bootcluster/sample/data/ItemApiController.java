package dev.bootcluster.sample.data;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalogue as JSON: {@code GET /api/items}, {@code GET /api/items/{id}} (cached),
 * {@code POST /api/items} (400 when invalid).
 */
@RestController
@RequestMapping("/api/items")
class ItemApiController {

	private final Catalogue catalogue;

	ItemApiController(Catalogue catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping
	List<ItemView> all() {
		return this.catalogue.all();
	}

	@GetMapping("/{id}")
	ResponseEntity<ItemView> one(@PathVariable long id) {
		ItemView item = this.catalogue.find(id);
		return (item != null) ? ResponseEntity.ok(item) : ResponseEntity.notFound().build();
	}

	@PostMapping
	ResponseEntity<ItemView> add(@Valid @RequestBody ItemForm form) {
		ItemView item = this.catalogue.add(form);
		return ResponseEntity.created(URI.create("/api/items/" + item.id())).body(item);
	}

}
