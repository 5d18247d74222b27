"""Stamps (model.Stamp) from what the sources of a note's dates give: a front-matter value,
git's strict ISO dates, a file's modification time.

Front matter may hold a YAML date or timestamp, or a string: `2023-06-09`,
`2023-06-09 10:00`, `2023-06-09T10:00:00+08:00`, Jekyll's `2023-06-09 10:00:00 +0800`. A
time without an offset is UTC (YAML's rule, and Hugo's default).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import Stamp

_TEXT = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$",
    re.I,
)


def _offset(text: str | None) -> dt.timezone:
    if not text or text.upper() == "Z":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def of_datetime(moment: dt.datetime) -> Stamp:
    """The stamp of a date-time (naive: UTC), in its own offset, to the second."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    moment = moment.replace(microsecond=0)
    return Stamp(moment.timestamp(), moment.isoformat().replace("+00:00", "Z"))


def of_date(day: dt.date) -> Stamp:
    """The stamp of a day without a time."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    return Stamp(midnight.timestamp(), day.isoformat())


def from_front_matter(value: Any) -> Stamp | None:
    """The stamp a front-matter value names, or None when it names none (a warning's business)."""
    if isinstance(value, dt.datetime):
        return of_datetime(value)
    if isinstance(value, dt.date):
        return of_date(value)
    if not isinstance(value, str):
        return None
    found = _TEXT.match(value)
    if found is None:
        return None
    year, month, day, hour, minute, second, offset = found.groups()
    try:
        if hour is None:
            if offset is not None:
                return None
            return of_date(dt.date(int(year), int(month), int(day)))
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=_offset(offset)
        )
    except ValueError:  # month 13, day 31 of June, hour 25, offset +99:00
        return None
    return of_datetime(moment)


def from_git(iso: str) -> Stamp:
    """A stamp from git's `%aI` (strict ISO 8601 with the author's offset)."""
    return of_datetime(dt.datetime.fromisoformat(iso))


def from_mtime(ns: int) -> Stamp:
    """A stamp from a file's modification time, in this machine's time zone."""
    return of_datetime(dt.datetime.fromtimestamp(ns // 1_000_000_000).astimezone())
