"""The campaign clock: tests of deadlines, windows and reminders run at named moments of the 2025 campaign.

`campaign_clock` (tests/conftest.py) freezes time at `IN_CAMPAIGN`, 20 May 2025 10:00 in Shanghai,
whatever the machine's date. `campaign_clock.travel("last second of 20 May")` (or any Shanghai
datetime) moves it. The moments are wall-clock times in Asia/Shanghai: the UTC date differs from the
local one from 00:00 to 07:59 local, so the midnight moments catch a UTC date used for a local one.
While the clock runs, the process's own time zone is UTC (as on a server), so code that reads the date
without Django's TIME_ZONE (`date.today()`, a naive `datetime.now()`) is caught there too.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The dates the tests give the 2025 campaign (the notice runs it from late April to the end of June).
CAMPAIGN_START = dt.date(2025, 4, 25)
CAMPAIGN_END = dt.date(2025, 6, 30)
METROLOGY_DAY = dt.date(2025, 5, 20)

MOMENTS: dict[str, dt.datetime] = {
    "day before the campaign": dt.datetime(2025, 4, 24, 10, 0, tzinfo=SHANGHAI),
    "last second before the campaign": dt.datetime(2025, 4, 24, 23, 59, 59, tzinfo=SHANGHAI),
    "campaign opens": dt.datetime(2025, 4, 25, 0, 0, tzinfo=SHANGHAI),
    "reminder time on 20 May": dt.datetime(2025, 5, 20, 8, 30, tzinfo=SHANGHAI),
    "20 May": dt.datetime(2025, 5, 20, 10, 0, tzinfo=SHANGHAI),
    "last second of 20 May": dt.datetime(2025, 5, 20, 23, 59, 59, tzinfo=SHANGHAI),
    "first second of 21 May": dt.datetime(2025, 5, 21, 0, 0, tzinfo=SHANGHAI),
    "last second of the campaign": dt.datetime(2025, 6, 30, 23, 59, 59, tzinfo=SHANGHAI),
    "campaign closed": dt.datetime(2025, 7, 1, 0, 0, tzinfo=SHANGHAI),
    "day after the campaign": dt.datetime(2025, 7, 1, 10, 0, tzinfo=SHANGHAI),
}
IN_CAMPAIGN = "20 May"


def local(moment: str | dt.datetime) -> dt.datetime:
    """A named moment, or a Shanghai wall-clock time (naive, or aware in any zone), aware in Asia/Shanghai."""
    when = MOMENTS[moment] if isinstance(moment, str) else moment
    return when.replace(tzinfo=SHANGHAI) if when.tzinfo is None else when.astimezone(SHANGHAI)


def utc(moment: str | dt.datetime) -> dt.datetime:
    """Where time-machine is sent: in UTC, so that it sets the process's TZ to UTC, not Shanghai."""
    return local(moment).astimezone(dt.UTC)


class CampaignClock:
    """A frozen clock (it does not tick: a test reads the same `now` however long it runs)."""

    def __init__(self, traveller: time_machine.Traveller) -> None:
        self._traveller = traveller

    def travel(self, moment: str | dt.datetime) -> dt.datetime:
        """Set the clock to `moment` (a name from MOMENTS or a Shanghai datetime); returns it, aware."""
        self._traveller.move_to(utc(moment))
        return local(moment)

    def shift(self, delta: dt.timedelta) -> dt.datetime:
        self._traveller.shift(delta)
        return self.now

    @property
    def now(self) -> dt.datetime:
        return timezone.now()

    @property
    def today(self) -> dt.date:
        """The local (Asia/Shanghai) date, as the application reads it."""
        return timezone.localdate()
