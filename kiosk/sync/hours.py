"""Opening hours: is the kiosk meant to be on now, and when does it open next.

`opening_hours` maps days ('mon', 'mon-fri', 'daily') to 'HH:MM-HH:MM' or 'closed'; later keys
override earlier ones for the same day; days not named are closed. No section: always open.
A span that ends before it starts runs past midnight (a late event: '18:00-02:00').
"""

from __future__ import annotations

import datetime as dt

from kiosk.sync.settings import expand_days, parse_span


class Schedule:
    def __init__(self, opening_hours: dict[str, str] | None) -> None:
        self.always_open = opening_hours is None
        self.spans: dict[int, tuple[int, int] | None] = {d: None for d in range(7)}
        for key, span in (opening_hours or {}).items():
            value = None if span.strip().lower() == "closed" else parse_span(span)
            for day in expand_days(key):
                self.spans[day] = value

    def is_open(self, now: dt.datetime) -> bool:
        if self.always_open:
            return True
        minute = now.hour * 60 + now.minute
        today = self.spans[now.weekday()]
        if today is not None:
            start, end = today
            if start <= minute < end or (end <= start and minute >= start):
                return True
        yesterday = self.spans[(now.weekday() - 1) % 7]
        if yesterday is not None:
            start, end = yesterday
            if end <= start and minute < end:  # yesterday's span runs past midnight
                return True
        return False

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        """The next time the kiosk opens (now if open); None when it never opens."""
        if self.is_open(now):
            return now
        for ahead in range(0, 8):
            day = (now + dt.timedelta(days=ahead)).date()
            span = self.spans[day.weekday()]
            if span is None:
                continue
            at = dt.datetime.combine(day, dt.time(span[0] // 60 % 24, span[0] % 60), tzinfo=now.tzinfo)
            if at > now:
                return at
        return None
