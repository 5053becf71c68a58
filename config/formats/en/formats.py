"""English dates as a British or Vietnamese reader writes them (Django's "en" is American):
"1 Dec 2026", "1 Dec 2026, 19:06", "19:06"."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "j M"  # "2 Dec": a moment of these days, the year left out
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
