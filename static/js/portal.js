// The portal's own behaviour. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions marked with data-confirm.
  document.body.addEventListener("submit", (event) => {
    // On the form, or on the button that submitted it.
    const message =
      (event.submitter && event.submitter.dataset.confirm) ||
      (event.target.dataset && event.target.dataset.confirm);
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
});

// A <select data-autosubmit> submits its form when changed (the year selectors).
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select[data-autosubmit]")) {
    event.target.form.requestSubmit();
  }
});

// "Add a row" of a Django formset: <fieldset data-formset="prefix"> holds the management
// form, a <tbody data-formset-body>, a <template data-formset-template> with __prefix__.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-formset-add]");
  if (!button) {
    return;
  }
  const set = button.closest("[data-formset]");
  const total = set.querySelector(`input[name="${set.dataset.formset}-TOTAL_FORMS"]`);
  const index = Number(total.value);
  const html = set.querySelector("template[data-formset-template]").innerHTML;
  set.querySelector("[data-formset-body]").insertAdjacentHTML(
    "beforeend",
    html.replaceAll("__prefix__", String(index)),
  );
  total.value = String(index + 1);
  set.querySelector("[data-formset-body] tr:last-child input")?.focus();
});
