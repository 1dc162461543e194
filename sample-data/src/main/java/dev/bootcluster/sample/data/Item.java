package dev.bootcluster.sample.data;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.jspecify.annotations.Nullable;

/**
 * An item of the catalogue; its table is created by the Flyway migrations in
 * {@code db/migration}.
 */
@Entity
@Table(name = "item")
class Item {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private @Nullable Long id;

	@Column(nullable = false, length = 80)
	private String name = "";

	@Column(length = 500)
	private @Nullable String description;

	@Column(name = "created_by")
	private int createdBy;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt = Instant.now();

	protected Item() {
	}

	Item(String name, @Nullable String description, int createdBy) {
		this.name = name;
		this.description = description;
		this.createdBy = createdBy;
	}

	ItemView view() {
		return new ItemView(this.id, this.name, this.description, this.createdBy, this.createdAt);
	}

}
