"""Form widgets every app's forms share."""

from qcdc_portal.dates import DayInput

# A day typed as dd/mm/yyyy whatever the browser's language (qcdc_portal/dates.py); a
# native <input type="date"> would show 12/01/2026 for 1 December in an English browser.
DATE_WIDGET = DayInput()
