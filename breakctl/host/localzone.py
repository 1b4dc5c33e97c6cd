"""The local time zone as a zoneinfo zone, so working hours follow DST changes.

`datetime.now().astimezone()` gives a fixed offset, right today and wrong after the next
change. $TZ names a zone (or a POSIX rule zoneinfo cannot read: then the fixed offset it
gives now stands in); /etc/localtime is the system's zone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCALTIME = "/etc/localtime"


def local_zone(env: Mapping[str, str]) -> tzinfo | None:
    name = env.get("TZ", "").removeprefix(":")
    if name:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError, OSError):
            return ZoneInfo(name)
        return datetime.now().astimezone().tzinfo
    with contextlib.suppress(OSError, ValueError), open(LOCALTIME, "rb") as handle:
        return ZoneInfo.from_file(handle)
    return datetime.now().astimezone().tzinfo
