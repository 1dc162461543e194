package dev.bootcluster.sample.data;

import jakarta.validation.Valid;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The catalogue's page: the items and a form to add one.
 */
@Controller
class ItemPageController {

	private final Catalogue catalogue;

	ItemPageController(Catalogue catalogue) {
		this.catalogue = catalogue;
	}

	@GetMapping("/")
	String items(Model model) {
		model.addAttribute("form", ItemForm.empty());
		return page(model);
	}

	@PostMapping("/items")
	String add(@Valid @ModelAttribute("form") ItemForm form, BindingResult result, Model model) {
		if (result.hasErrors()) {
			return page(model);
		}
		this.catalogue.add(form);
		return "redirect:/";
	}

	private String page(Model model) {
		model.addAttribute("items", this.catalogue.all());
		return "items";
	}

}
