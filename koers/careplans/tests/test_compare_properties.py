"""Properties of compare() with hypothesis (test_snapshot_compare.py checks the same on seeded random snapshots)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from koers.careplans.snapshot import compare, has_changes

from .test_snapshot_compare import action, assert_swap_property, follow_up, goal, snapshot

texts = st.text(max_size=8)
ids = st.integers(min_value=1, max_value=6)
actions = st.lists(
    st.builds(action, ids.map(lambda i: i * 100), what=texts, responsible=st.sampled_from(["person", "relative"])),
    max_size=3,
    unique_by=lambda a: a["id"],
)
goals = st.lists(st.builds(goal, ids, description=texts, actions=actions), max_size=4, unique_by=lambda g: g["id"]).map(
    lambda gs: _unique_actions(gs)
)
follow_ups = st.lists(st.builds(follow_up, ids, what=texts), max_size=4, unique_by=lambda f: f["id"])
snapshots = st.builds(snapshot, goals=goals, follow_ups=follow_ups, what_matters=texts)


def _unique_actions(gs):
    seen = set()
    for g in gs:
        g["actions"] = [a for a in g["actions"] if not (a["id"] in seen or seen.add(a["id"]))]
    return gs


@settings(max_examples=150, deadline=None)
@given(snapshots)
def test_compare_with_itself_is_empty(s):
    assert not has_changes(compare(s, s))


@settings(max_examples=150, deadline=None)
@given(snapshots, snapshots)
def test_swapping_the_arguments_swaps_added_and_removed(a, b):
    assert_swap_property(a, b)
