"""Issue 14: back-off with jitter between failed polls, bounded so a returning server is noticed."""

from __future__ import annotations

import random

from kiosk.sync.worker import next_delay


def test_backoff_grows_spreads_and_is_capped():
    rng = random.Random(1)
    calm = [next_delay(300, 0, rng) for _ in range(200)]
    assert 270 <= min(calm) and max(calm) <= 330 and max(calm) - min(calm) > 30  # ±10 %: a fleet drifts apart
    after3 = [next_delay(300, 3, rng, cap_s=2400) for _ in range(500)]
    assert 300 <= min(after3) and max(after3) <= 2400 and max(after3) > 1500  # up to 8x, spread out
    after20 = [next_delay(300, 20, rng, cap_s=2400) for _ in range(500)]
    assert max(after20) <= 2400  # the cap holds however long the outage
