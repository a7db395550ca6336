"""Days as Vietnamese officials write them: dd/mm/yyyy, whatever the browser's language.

A native ``<input type="date">`` shows the browser's locale: 12/01/2026 for 1 December in
an English Chromium. Here a day is typed text, written and read by the formats of
``qcdc_portal/formats`` (dd/mm/yyyy in both languages; ISO and a few other separators are
read too); ``static/js/portal.js`` checks it while it is typed and adds a calendar. The
API keeps ISO dates (DRF's own formats).
"""

import datetime

from django import forms
from django.utils import formats

DAY_FORMAT = "%d/%m/%Y"


class DayInput(forms.DateInput):
    """A day as dd/mm/yyyy text: the number keypad on a phone, the value written the same
    in both languages; ``data-day`` lets portal.js check it and add the calendar."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "dd/mm/yyyy",
            "maxlength": "10",
            "data-day": "",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=DAY_FORMAT)


def day_from_text(text: str) -> datetime.date | None:
    """The day a user typed (``19/12/2024``, or ``2024-12-19`` from a link), else None."""
    for fmt in formats.get_format("DATE_INPUT_FORMATS"):
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None
