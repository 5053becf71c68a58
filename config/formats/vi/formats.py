"""Vietnamese dates as they read in a sentence: "1/12/2026", "19:06 ngày 1/12/2026" (Django's
own begins with a capital "Ngày", wrong in the middle of a sentence)."""

DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = r"H:i \n\g\à\y j/n/Y"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
