"""Vietnamese formats as officials write them: 8.532 and 19/12/2024.

Django's own ``vi`` formats spell dates out ("Ngày 19 tháng 12 năm 2024") and use
dashes in short dates; forms and lists here use the dd/mm/yyyy of administrative
documents, while the long form stays available for the place-and-date line of reports.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"\t\há\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
# Typed days (qcdc_portal/dates.py): dd/mm/yyyy first (how a value is written back), other
# separators (a phone keypad may lack the slash) and ISO (links, the API).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
