"""Form widgets every app's forms share."""

from django import forms

# A date field as the browser's own date picker; the value travels as ISO (2024-12-19).
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
