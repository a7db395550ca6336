// The area picker (committees/platform/area_picker.py): a combobox (WAI-ARIA 1.2, list
// autocomplete) over a filter's code field or a form's select. What is typed is sent to the
// server through htmx; the server answers the matching areas of the user's scope as
// <li role="option"> rows. Without this script the code field and the select still work.
(() => {
  "use strict";

  function enhance(root) {
    const field = root.querySelector("select, input:not([role=combobox])");
    if (root.areaPicker) {
      if (field !== root.areaPicker.field) {
        root.areaPicker.adopt(field); // the date's htmx refresh swapped in a new select
      }
      return;
    }
    root.areaPicker = new Picker(root, field);
  }

  class Picker {
    constructor(root, field) {
      this.root = root;
      this.isForm = root.dataset.areaPicker === "form";
      const base = field.id || "area";
      this.input = document.createElement("input");
      this.input.type = "text";
      this.input.id = `${base}_search`;
      this.input.autocomplete = "off";
      this.input.spellcheck = false;
      this.input.placeholder = root.dataset.placeholder || "";
      this.input.setAttribute("role", "combobox");
      this.input.setAttribute("aria-autocomplete", "list");
      this.input.setAttribute("aria-expanded", "false");
      this.input.setAttribute("aria-controls", `${base}_listbox`);
      this.list = document.createElement("ul");
      this.list.id = `${base}_listbox`;
      this.list.className = "area-picker-list";
      this.list.setAttribute("role", "listbox");
      this.list.hidden = true;
      // The request starts from the list: nothing of the filter form (its pushed URL) applies.
      this.list.setAttribute("hx-push-url", "false");
      this.status = document.createElement("div");
      this.status.className = "visually-hidden";
      this.status.setAttribute("role", "status");
      root.prepend(this.input, this.list, this.status);
      this.asked = null;
      this.timer = null;
      this.adopt(field);
      this.input.addEventListener("input", () => this.schedule());
      // What is typed replaces the chosen area's name, not adds to it.
      this.input.addEventListener("focus", () => this.input.select());
      this.input.addEventListener("keydown", (event) => this.key(event));
      this.input.addEventListener("blur", () => this.leave());
      // A click keeps the focus in the field; the option is picked on release.
      this.list.addEventListener("mousedown", (event) => event.preventDefault());
      this.list.addEventListener("click", (event) => {
        const option = event.target.closest("[role=option]");
        if (option && option.getAttribute("aria-disabled") !== "true") {
          this.pick(option);
        }
      });
    }

    // Take over the plain field (the first time, or the select the date refresh brought).
    adopt(field) {
      this.field = field;
      const label = document.querySelector(`label[for="${field.id}"]`);
      if (label) {
        label.htmlFor = this.input.id;
        label.id = label.id || `${this.input.id}_label`;
        this.list.setAttribute("aria-labelledby", label.id);
      }
      const size = /-sm\b/.test(field.className) ? " form-control-sm" : "";
      const invalid = field.classList.contains("is-invalid") ? " is-invalid" : "";
      this.input.className = `form-control${size}${invalid}`;
      for (const name of ["aria-describedby", "aria-invalid"]) {
        if (field.hasAttribute(name)) {
          this.input.setAttribute(name, field.getAttribute(name));
        }
      }
      if (field.required) {
        this.input.setAttribute("aria-required", "true");
      }
      // Still in the form, still settable by a test or the browser's autofill; out of
      // sight, out of the tab order and of the accessibility tree.
      field.classList.add("visually-hidden");
      field.tabIndex = -1;
      field.setAttribute("aria-hidden", "true");
      field.addEventListener("change", () => this.show());
      this.show();
    }

    chosenLabel() {
      if (this.isForm) {
        const option = this.field.selectedOptions[0];
        // The select indents the tree ("— — Phường …"); the field shows the name alone.
        return option && option.value ? option.text.replace(/^(—\s)+/, "") : "";
      }
      return this.field.value ? this.root.dataset.label || this.field.value : "";
    }

    show() {
      this.input.value = this.chosenLabel();
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.search(), 250);
    }

    search() {
      const text = this.input.value.trim();
      if (!text || text === this.chosenLabel()) {
        this.close();
        return;
      }
      if (this.asked !== null) {
        return; // one request at a time; the answer asks again if the text moved on
      }
      this.asked = text;
      const values = { q: text };
      const dateName = this.root.dataset.dateField;
      const dateField = dateName && this.field.form && this.field.form.elements.namedItem(dateName);
      if (dateField && dateField.value) {
        values.on = dateField.value;
      }
      htmx
        .ajax("GET", this.root.dataset.searchUrl, {
          source: this.list,
          target: this.list,
          swap: "innerHTML",
          values,
        })
        .then(() => this.answered(text), () => (this.asked = null));
    }

    answered(text) {
      this.asked = null;
      if (this.input.value.trim() !== text) {
        this.search();
        return;
      }
      const options = this.options();
      options.forEach((option, index) => {
        option.id = `${this.list.id}_${index}`;
      });
      this.open();
      const template = this.root.dataset.msgFound || "{n}";
      this.status.textContent = template.replace("{n}", String(options.length));
    }

    options() {
      return [...this.list.querySelectorAll("[role=option]:not([aria-disabled=true])")];
    }

    open() {
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      // On a phone the list may start in the right half of the screen: keep it on it.
      this.list.style.left = "";
      const right = this.list.getBoundingClientRect().right;
      const room = document.documentElement.clientWidth - 8;
      if (right > room) {
        this.list.style.left = `${room - right}px`;
      }
    }

    close() {
      this.list.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
    }

    active() {
      const id = this.input.getAttribute("aria-activedescendant");
      return id ? document.getElementById(id) : null;
    }

    move(step) {
      const options = this.options();
      if (!options.length) {
        return;
      }
      const current = options.indexOf(this.active());
      const next = options[(current + step + options.length) % options.length];
      for (const option of options) {
        option.setAttribute("aria-selected", option === next ? "true" : "false");
      }
      this.input.setAttribute("aria-activedescendant", next.id);
      next.scrollIntoView({ block: "nearest" });
    }

    key(event) {
      const open = !this.list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (open) {
          this.move(event.key === "ArrowDown" ? 1 : -1);
        } else {
          this.search();
        }
      } else if (event.key === "Enter") {
        const option = open && this.active();
        if (option) {
          event.preventDefault();
          this.pick(option);
        } else if (this.isForm) {
          event.preventDefault(); // Enter in a half-typed name must not send the form
        } else {
          this.commitTyped();
        }
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        this.close();
      } else if (event.key === "Escape") {
        this.show();
      }
    }

    pick(option) {
      this.close();
      if (this.isForm) {
        const pk = option.dataset.pk;
        if (![...this.field.options].some((o) => o.value === pk)) {
          this.field.add(new Option(option.dataset.label, pk));
        }
        this.field.value = pk;
      } else {
        this.field.value = option.dataset.value;
        this.root.dataset.label = option.dataset.label;
      }
      this.input.value = option.dataset.label;
      this.field.dispatchEvent(new Event("change", { bubbles: true }));
      this.submitFilter();
    }

    // A filter takes a typed code as before (old habits, old links): "06649", "2025:22".
    commitTyped() {
      const text = this.input.value.trim();
      if (text === this.chosenLabel()) {
        return;
      }
      if (!text || /^[\w]+(:[\w]+)?$/.test(text)) {
        this.field.value = text;
        this.root.dataset.label = "";
        this.submitFilter();
      } else {
        this.show();
      }
    }

    submitFilter() {
      if (!this.isForm && this.field.form) {
        this.field.form.requestSubmit();
      }
    }

    leave() {
      // After a click on an option has been handled (the list keeps the focus meanwhile).
      setTimeout(() => {
        if (document.activeElement === this.input) {
          return;
        }
        this.close();
        if (this.isForm) {
          this.show();
        } else {
          this.commitTyped();
        }
      }, 0);
    }
  }

  htmx.onLoad((element) => {
    const roots = element.matches("[data-area-picker]")
      ? [element]
      : [...element.querySelectorAll("[data-area-picker]")];
    const around = element.closest && element.closest("[data-area-picker]");
    for (const root of around && !roots.includes(around) ? [...roots, around] : roots) {
      enhance(root);
    }
  });
})();
