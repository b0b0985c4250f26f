"""The one way mt writes a timestamp: UTC, to the second, ISO 8601."""

from __future__ import annotations

import datetime as dt


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
