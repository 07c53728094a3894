# SPDX-License-Identifier: AGPL-3.0-or-later
"""English as read in the Nordic countries and in Europe: day before month, a
24-hour clock and Monday first, instead of Django's American "12/06/2026 8:49 p.m."
Only what differs from Django's en formats is here; the rest is Django's."""

DATE_FORMAT = "j M Y"  # 6 Dec 2026
TIME_FORMAT = "H:i"  # 20:49
DATETIME_FORMAT = "j M Y, H:i"  # 6 Dec 2026, 20:49
YEAR_MONTH_FORMAT = "F Y"  # December 2026
MONTH_DAY_FORMAT = "j F"  # 6 December
SHORT_DATE_FORMAT = "Y-m-d"  # 2026-12-06
SHORT_DATETIME_FORMAT = "Y-m-d H:i"  # 2026-12-06 20:49
FIRST_DAY_OF_WEEK = 1  # Monday
# ISO first: date inputs (type="date") render and send that one.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-06
    "%d/%m/%Y",  # 06/12/2026
    "%d/%m/%y",  # 06/12/26
    "%d %b %Y",  # 6 Dec 2026
    "%d %B %Y",  # 6 December 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
