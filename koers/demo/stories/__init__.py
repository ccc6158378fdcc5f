"""The demo's organisations, accounts and people, as data.

``koers demo`` (``koers.demo.build``) turns this into records. Every person has their own
story; days are relative to the day the demo is loaded (negative = in the past), so the
demo always has recent history and upcoming consults.

Stages order the care plan's history: stage 1 = first goals and actions, stage 2 = shared
decisions and follow-up agreements, stage 3+ = later changes. After each stage the plan's
new version is recorded with ``care_plan_record_change``.
"""

from __future__ import annotations

from koers.demo.stories import (
    anna,
    ans,
    bram,
    daan,
    ellen,
    fatima,
    gerda,
    henk,
    johan,
    kees,
    lotte,
    marloes,
    mohamed,
    noah,
    piet,
    ricardo,
    sophie,
    truus,
    wilma,
    yusuf,
)
from koers.demo.stories.cast import DEMO_PASSWORD, EMERGENCY, ORGANISATIONS, RELATIVES, STAFF

# In this order: the demo's people (and so their ids and the listings) come out as before.
PEOPLE = [
    anna.STORY,
    henk.STORY,
    gerda.STORY,
    daan.STORY,
    fatima.STORY,
    mohamed.STORY,
    truus.STORY,
    johan.STORY,
    sophie.STORY,
    kees.STORY,
    marloes.STORY,
    ricardo.STORY,
    ellen.STORY,
    bram.STORY,
    wilma.STORY,
    yusuf.STORY,
    lotte.STORY,
    piet.STORY,
    noah.STORY,
    ans.STORY,
]

__all__ = ["DEMO_PASSWORD", "EMERGENCY", "ORGANISATIONS", "PEOPLE", "RELATIVES", "STAFF"]
