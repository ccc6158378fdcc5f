"""compare() and who_does_what() are pure: snapshots in, dicts out. No database here."""

from __future__ import annotations

import copy
import random

from koers.careplans.presentation import describe
from koers.careplans.snapshot import SNAPSHOT_SCHEMA, compare, has_changes, who_does_what


def action(id_, what="Wandelen", responsible="person", **extra):
    return {
        "id": id_,
        "what": what,
        "when": "",
        "how_often": "",
        "where": "",
        "with_whom": "",
        "obstacles": "",
        "obstacle_plan": "",
        "confidence": None,
        "responsible": responsible,
        "responsible_name": "",
        "review_date": None,
        "status": "active",
        **extra,
    }


def goal(id_, description="Fit blijven", actions=(), **extra):
    return {
        "id": id_,
        "description": description,
        "life_domain": "health",
        "why_it_matters": "",
        "owner": "person",
        "lifecycle_status": "active",
        "achievement_status": "",
        "target_date": None,
        "gas_levels": {},
        "actions": list(actions),
        **extra,
    }


def snapshot(goals=(), decisions=(), follow_ups=(), care_team=(), what_matters="Mijn kleinkinderen"):
    return {
        "schema": SNAPSHOT_SCHEMA,
        "person": {"what_matters": what_matters, "values": ""},
        "goals": list(goals),
        "decisions": list(decisions),
        "follow_ups": list(follow_ups),
        "care_team": list(care_team),
    }


def follow_up(id_, what="Bloeddruk", **extra):
    return {"id": id_, "what": what, "who": "Noor", "method": "consult", "frequency": "", "next_date": None, **extra}


def test_nothing_changed_gives_empty_sections():
    s = snapshot(goals=[goal(1, actions=[action(10)])], follow_ups=[follow_up(5)])
    result = compare(s, copy.deepcopy(s))
    assert not has_changes(result)
    assert result["not_compared"] == []
    assert all(v == {"added": [], "removed": [], "changed": []} for v in result["sections"].values())


def test_added_removed_and_changed_goals_actions_and_follow_ups():
    old = snapshot(goals=[goal(1, actions=[action(10), action(11, what="Zwemmen")])], follow_ups=[follow_up(5)])
    new = snapshot(
        goals=[goal(1, description="Fit en sterk blijven", actions=[action(10, when="'s ochtends")]), goal(2)],
        follow_ups=[follow_up(6, what="Slaap")],
    )
    result = compare(old, new)["sections"]
    assert [g["id"] for g in result["goals"]["added"]] == [2]
    assert result["goals"]["changed"][0]["fields"] == {"description": ("Fit blijven", "Fit en sterk blijven")}
    assert [a["id"] for a in result["actions"]["removed"]] == [11]
    assert result["actions"]["changed"][0]["fields"] == {"when": ("", "'s ochtends")}
    assert [f["id"] for f in result["follow_ups"]["added"]] == [6]
    assert [f["id"] for f in result["follow_ups"]["removed"]] == [5]


def test_actions_of_a_goal_do_not_count_as_a_change_of_the_goal_itself():
    old = snapshot(goals=[goal(1)])
    new = snapshot(goals=[goal(1, actions=[action(10)])])
    result = compare(old, new)["sections"]
    assert result["goals"]["changed"] == []
    assert [a["id"] for a in result["actions"]["added"]] == [10]


def test_what_matters_and_care_team_changes():
    old = snapshot(care_team=[{"id": 7, "name": "Noor", "discipline": "", "organisation": "X", "role": "member"}])
    new = snapshot(
        what_matters="Weer kunnen werken",
        care_team=[{"id": 7, "name": "Noor", "discipline": "", "organisation": "X", "role": "responsible"}],
    )
    result = compare(old, new)["sections"]
    assert result["person"]["changed"][0]["fields"] == {"what_matters": ("Mijn kleinkinderen", "Weer kunnen werken")}
    assert result["care_team"]["changed"][0]["fields"] == {"role": ("member", "responsible")}


def test_an_older_schema_is_compared_on_what_both_recorded():
    new = snapshot(goals=[goal(1)], follow_ups=[follow_up(5)], care_team=[{"id": 7, "name": "Noor"}])
    old = {"schema": 1, "goals": [goal(1)], "decisions": [], "follow_ups": [follow_up(5)]}
    result = compare(old, new)
    assert result["schemas"] == (1, SNAPSHOT_SCHEMA)
    assert set(result["not_compared"]) == {"person", "care_team"}
    assert "care_team" not in result["sections"] and "person" not in result["sections"]
    assert not has_changes(result)


def test_a_field_only_one_schema_has_is_not_a_change():
    old = snapshot(follow_ups=[follow_up(5)])
    new = snapshot(follow_ups=[follow_up(5, responsible="professional")])
    assert not has_changes(compare(old, new))


def test_a_snapshot_without_a_schema_number_is_schema_1():
    old = {"goals": [], "decisions": [], "follow_ups": []}
    assert compare(old, old)["schemas"] == (1, 1)


def test_who_does_what_groups_by_responsible_in_a_fixed_order():
    s = snapshot(
        goals=[
            goal(1, actions=[action(10, responsible="community"), action(11, responsible="professional")]),
            goal(2, description="Beter slapen", actions=[action(12), action(13, responsible="relative")]),
        ]
    )
    groups = who_does_what(s)
    assert [g["responsible"] for g in groups] == ["person", "professional", "relative", "community"]
    assert groups[0]["actions"][0]["goal_description"] == "Beter slapen"
    assert who_does_what({"schema": 1, "goals": []}) == []


def test_describe_puts_changes_in_words():
    old = snapshot(follow_ups=[follow_up(5, method="phone", next_date="2026-12-01")])
    new = snapshot(follow_ups=[follow_up(5, method="video", next_date="2027-01-15"), follow_up(6, what="Slaap")])
    text = describe(compare(old, new), old, new)
    (section,) = text["sections"]
    assert section["name"] == "follow_ups"
    kinds = [row["kind"] for row in section["rows"]]
    assert kinds == ["added", "changed"]
    fields = {f["label"]: (f["old"], f["new"]) for f in section["rows"][1]["fields"]}
    assert fields["hoe"] == ("telefoon", "beeldbellen")
    assert fields["volgende keer"] == ("1-12-2026", "15-1-2027")


# --- properties, checked on seeded random snapshots (hypothesis versions: test_compare_properties.py) ---


def random_snapshot(rng: random.Random) -> dict:
    words = ["", "a", "fietsen", "slapen", "<b>"]
    action_ids = rng.sample(range(100, 130), 8)
    gs = []
    for goal_id in rng.sample(range(1, 7), rng.randint(0, 4)):
        acts = [
            action(action_ids.pop(), what=rng.choice(words), responsible=rng.choice(["person", "relative"]))
            for _ in range(rng.randint(0, 2))
        ]
        gs.append(goal(goal_id, description=rng.choice(words), actions=acts))
    fus = [follow_up(i, what=rng.choice(words)) for i in rng.sample(range(1, 7), rng.randint(0, 3))]
    return snapshot(goals=gs, follow_ups=fus, what_matters=rng.choice(words))


def assert_swap_property(a, b):
    forward, backward = compare(a, b)["sections"], compare(b, a)["sections"]
    assert forward.keys() == backward.keys()
    for name in forward:
        assert forward[name]["added"] == backward[name]["removed"]
        assert forward[name]["removed"] == backward[name]["added"]
        back_fields = {c["item"]["id"]: c["fields"] for c in backward[name]["changed"]}
        assert len(back_fields) == len(forward[name]["changed"])
        for change in forward[name]["changed"]:
            swapped = {f: (new, old) for f, (old, new) in change["fields"].items()}
            assert back_fields[change["item"]["id"]] == swapped


def test_compare_with_itself_is_empty_for_random_snapshots():
    rng = random.Random(20261122)
    for _ in range(300):
        s = random_snapshot(rng)
        assert not has_changes(compare(s, copy.deepcopy(s)))


def test_swapping_the_arguments_swaps_added_and_removed_for_random_snapshots():
    rng = random.Random(7513)
    for _ in range(300):
        assert_swap_property(random_snapshot(rng), random_snapshot(rng))
