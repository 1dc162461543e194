package dev.bootcluster.sample.data;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A new item, as the page's form or the API's JSON body gives it.
 * @param name its name, required
 * @param description what it is, optional
 */
record ItemForm(@NotBlank @Size(max = 80) @Nullable String name, @Size(max = 500) @Nullable String description) {

	static ItemForm empty() {
		return new ItemForm(null, null);
	}

}
