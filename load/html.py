"""What a browser reads off a page: a form's fields, the CSRF token, an attribute.

The simulated officials post forms as a browser would: every field with the value the
page gave it, plus what the official typed. A tiny parser of the standard library is
enough; the portal's HTML is its own.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EXPORT_STATUS = re.compile(r'data-status="(\w+)"')


def csrf_token(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise ValueError("no CSRF token on the page")
    return found.group(1)


class _FormFields(HTMLParser):
    """The fields of the first ``<form>`` whose attribute ``marker`` matches."""

    def __init__(self, marker: tuple[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get(self.marker[0]) == self.marker[1]:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, attribute: str, value: str) -> dict[str, str]:
    """The fields of the form marked ``attribute="value"`` as the browser would send them
    (textareas lose the one newline that follows their opening tag, as in a browser)."""
    parser = _FormFields((attribute, value))
    parser.feed(html)
    if not parser.done and not parser.fields:
        raise ValueError(f"no form with {attribute}={value!r} on the page")
    return {
        k: v[1:] if v.startswith("\n") and k not in ("csrfmiddlewaretoken",) else v
        for k, v in parser.fields.items()
    }


def export_status(html: str) -> str:
    found = EXPORT_STATUS.search(html)
    return found.group(1) if found else ""
