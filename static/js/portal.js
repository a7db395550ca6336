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
  enhanceDays(set);
  set.querySelector("[data-formset-body] tr:last-child input")?.focus();
});

// Days typed as dd/mm/yyyy (qcdc_portal/dates.py), whatever the browser's language: the
// field is text, so it also works without this script. Here it gets its slashes as digits
// are typed, is written back as dd/mm/yyyy when left, says at once what is wrong with a
// day that does not exist (31/02/2026), and gets a calendar (vendor/cally) in the page's
// language. The messages come translated from <template id="portal-messages"> (base.html).
const DAY_TEXT = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;
const ISO_TEXT = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;

const pad = (n) => String(n).padStart(2, "0");
const daysInMonth = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function dayParts(text) {
  let match = DAY_TEXT.exec(text);
  if (match) {
    return { day: Number(match[1]), month: Number(match[2]), year: Number(match[3]) };
  }
  match = ISO_TEXT.exec(text);
  if (match) {
    return { day: Number(match[3]), month: Number(match[2]), year: Number(match[1]) };
  }
  return null;
}

function portalMessages() {
  return document.getElementById("portal-messages")?.dataset || {};
}

function fill(message, values) {
  return message.replace(/\{(\w+)\}/g, (_all, name) => values[name] ?? "");
}

// "" for an empty or real day, else what is wrong with it.
function dayProblem(text) {
  if (!text.trim()) {
    return "";
  }
  const messages = portalMessages();
  const parts = dayParts(text);
  if (!parts) {
    return messages.format;
  }
  if (parts.month < 1 || parts.month > 12) {
    return fill(messages.month, { text: text.trim(), month: parts.month });
  }
  const last = daysInMonth(parts.year, parts.month);
  if (parts.day < 1 || parts.day > last) {
    return fill(messages.unreal, { text: text.trim(), days: last, month: parts.month, year: parts.year });
  }
  return "";
}

function showDayProblem(input) {
  const problem = dayProblem(input.value);
  let feedback = document.getElementById(`${input.id}-day-problem`);
  if (!feedback) {
    feedback = document.createElement("div");
    feedback.id = `${input.id}-day-problem`;
    feedback.className = "invalid-feedback d-block";
    feedback.setAttribute("aria-live", "polite");
    (input.closest(".input-group") || input).after(feedback);
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? `${described} ${feedback.id}` : feedback.id);
  }
  feedback.textContent = problem;
  // A day the server refused stays marked until the form is sent again.
  const invalid = Boolean(problem) || input.dataset.serverInvalid === "1";
  input.classList.toggle("is-invalid", invalid);
  input.setAttribute("aria-invalid", invalid ? "true" : "false");
  return problem;
}

function normaliseDay(input) {
  const parts = dayParts(input.value);
  if (parts && !dayProblem(input.value)) {
    input.value = `${pad(parts.day)}/${pad(parts.month)}/${parts.year}`;
  }
}

// A whole, real day says so once per new value, typed or picked: "day-entered", on which
// a form whose choices follow the date fetches them again (ScopedModelForm, htmx). Not at
// every key, nor for 31/02/2026; the day the page came with counts as said.
const isoDay = (parts) => `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;

function announceDay(input) {
  const parts = dayParts(input.value);
  if (!parts || dayProblem(input.value) || input.dataset.dayEntered === isoDay(parts)) {
    return;
  }
  input.dataset.dayEntered = isoDay(parts);
  input.dispatchEvent(new Event("day-entered", { bubbles: true }));
}

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  Object.entries(attributes).forEach(([key, value]) => node.setAttribute(key, value));
  node.append(...children);
  return node;
}

const icon = (name) => element("i", { class: `bi bi-${name}`, "aria-hidden": "true" });
const hidden = (text) => element("span", { class: "visually-hidden" }, text);

function addCalendar(input) {
  const messages = portalMessages();
  const group = document.createElement("div");
  group.className = "input-group day-field";
  input.before(group);
  group.append(input);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-secondary";
  button.setAttribute("aria-label", messages.open);
  button.title = messages.open;
  button.append(icon("calendar3"));
  group.append(button);
  const popover = document.createElement("div");
  popover.popover = "auto";
  popover.className = "day-popover shadow";
  popover.id = `${input.id || input.name}-calendar`;
  popover.setAttribute("role", "dialog");
  popover.setAttribute("aria-label", messages.open);
  const calendar = element("calendar-date", { locale: document.documentElement.lang || "vi", "first-day-of-week": "1", class: "day-calendar" });
  calendar.append(
    element("span", { slot: "previous" }, icon("chevron-left"), hidden(messages.previous)),
    element("span", { slot: "next" }, icon("chevron-right"), hidden(messages.next)),
    element(
      "div",
      { slot: "heading", class: "day-calendar-selects" },
      element("calendar-select-month", {}, element("span", { slot: "label" }, messages.month_label)),
      element("calendar-select-year", { "max-years": "41" }, element("span", { slot: "label" }, messages.year_label)),
    ),
    element("calendar-month"),
  );
  popover.append(calendar);
  document.body.append(popover);
  button.setAttribute("popovertarget", popover.id);
  button.setAttribute("aria-controls", popover.id);
  // Under the field (above it near the bottom of the screen), and kept there while the
  // page scrolls.
  const place = () => {
    const box = group.getBoundingClientRect();
    const below = window.innerHeight - box.bottom;
    popover.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - 320))}px`;
    popover.style.top = below > 340 ? `${box.bottom + 4}px` : `${Math.max(8, box.top - 344)}px`;
  };
  popover.addEventListener("beforetoggle", (event) => {
    if (event.newState !== "open") {
      return;
    }
    const parts = dayParts(input.value);
    const value = parts && !dayProblem(input.value) ? `${parts.year}-${pad(parts.month)}-${pad(parts.day)}` : "";
    calendar.value = value;
    calendar.focusedDate = value || undefined;
    place();
  });
  popover.addEventListener("toggle", (event) => {
    if (event.newState === "open") {
      window.addEventListener("scroll", place, { passive: true });
      calendar.focus();
    } else {
      window.removeEventListener("scroll", place);
    }
  });
  calendar.addEventListener("change", () => {
    const [year, month, day] = calendar.value.split("-");
    input.value = `${day}/${month}/${year}`;
    popover.hidePopover();
    showDayProblem(input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    announceDay(input);
    input.focus();
  });
}

function enhanceDays(root) {
  const calendars = "customElements" in window && HTMLElement.prototype.hasOwnProperty("popover");
  root.querySelectorAll("input[data-day]:not([data-day-ready])").forEach((input) => {
    input.dataset.dayReady = "1";
    input.dataset.serverInvalid = input.classList.contains("is-invalid") ? "1" : "0";
    const parts = dayParts(input.value);
    input.dataset.dayEntered = parts && !dayProblem(input.value) ? isoDay(parts) : "";
    if (calendars) {
      addCalendar(input);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => enhanceDays(document));
document.addEventListener("htmx:afterSettle", (event) => enhanceDays(event.target));

document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.matches || !input.matches("input[data-day]")) {
    return;
  }
  // Slashes come by themselves after the day and the month (a phone's number pad may
  // have none); only while typing forward at the end, never while editing.
  const atEnd = input.selectionStart === input.value.length;
  if (event.inputType === "insertText" && atEnd && /^(\d{2}|\d{1,2}\/\d{2})$/.test(input.value)) {
    input.value += "/";
  }
  if (input.classList.contains("is-invalid") && !dayProblem(input.value)) {
    showDayProblem(input);
  }
  announceDay(input);
});

document.addEventListener("focusout", (event) => {
  const input = event.target;
  if (input.matches && input.matches("input[data-day]")) {
    normaliseDay(input);
    showDayProblem(input);
    announceDay(input);
  }
});

// A form is not sent with a day that does not exist: the first such field is focused,
// its message beside it.
document.addEventListener(
  "submit",
  (event) => {
    const wrong = [...event.target.querySelectorAll("input[data-day]")].filter((input) => {
      normaliseDay(input);
      return showDayProblem(input);
    });
    if (wrong.length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      wrong[0].focus();
    }
  },
  true,
);

// On a phone a list's filters fold under their "Bộ lọc" button, which counts those in use,
// so the rows come first; wider screens keep them open (and without scripts they stay so).
document.addEventListener("DOMContentLoaded", () => {
  const phone = window.matchMedia("(max-width: 767.98px)").matches;
  document.querySelectorAll("[data-filter-panel]").forEach((panel) => {
    const used = [...panel.querySelectorAll("select, input:not([type=hidden])")].filter(
      (field) => field.value,
    ).length;
    const count = panel.querySelector("[data-filter-count]");
    if (count) {
      count.textContent = used ? String(used) : "";
    }
    if (phone) {
      panel.open = false;
    }
  });
});

// A table wider than its box scrolls sideways: it then takes the keyboard focus (the
// arrow keys scroll it) and is named after the heading before it.
function keyboardScrollableTables() {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      let heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      box.tabIndex = 0;
      box.dataset.scrollable = "1";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : portalMessages().table);
    } else if (!scrolls && box.dataset.scrollable) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollable;
    }
  });
}

document.addEventListener("DOMContentLoaded", keyboardScrollableTables);
window.addEventListener("resize", keyboardScrollableTables);
document.addEventListener("htmx:afterSettle", keyboardScrollableTables);
