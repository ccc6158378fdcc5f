"""The matcher is a pure function: each rule of docs/socialmap.md ("Matching") on hand-built cases."""

from koers.socialmap import matching as m

WALK = m.ServiceInfo(
    id=1,
    name="Wandelgroep Maximapark",
    description="Samen wandelen",
    life_domains=("health", "social"),
    postcode_areas=("3532",),
    is_group=True,
)
ONLINE = m.ServiceInfo(id=2, name="Online herstelgroep", life_domains=("health",), is_group=True, is_online=True)
DEBT = m.ServiceInfo(
    id=3,
    name="Schuldhulp spreekuur",
    description="schulden en geld",
    life_domains=("living",),
    postcode_areas=("3511",),
    is_individual=True,
)
GOAL = m.GoalInfo(id=10, description="Ik wil weer elke week wandelen", life_domain="health", domain_label="Gezondheid")


def test_same_domain_same_pc4_and_preference_scores_every_rule_with_a_reason():
    person = m.PersonInfo(postcode_area="3532", prefers_group=True)
    match = m.score(GOAL, person, WALK)
    # domain 3 + one shared word ("wandelen"~"wandel") 1 + same PC4 3 + group preferred 1
    assert match.score == 8
    assert any("gezondheid" in r for r in match.reasons)
    assert any("3532" in r for r in match.reasons)
    assert any("groep" in r for r in match.reasons)


def test_nearby_by_shared_leading_digits():
    assert m.shared_digits("3532", "3532") == 4
    assert m.shared_digits("3532", "3539") == 3
    assert m.shared_digits("3532", "3581") == 2
    assert m.shared_digits("3532", "1011") == 0
    assert m.shared_digits("", "3532") == 0
    near3 = m.score(GOAL, m.PersonInfo(postcode_area="3539"), WALK)
    near2 = m.score(GOAL, m.PersonInfo(postcode_area="3581"), WALK)
    far = m.score(GOAL, m.PersonInfo(postcode_area="1011"), WALK)
    assert near3.score - far.score == 2
    assert near2.score - far.score == 1


def test_a_service_about_something_else_scores_zero_however_near():
    assert m.score(GOAL, m.PersonInfo(postcode_area="3511"), DEBT).score == 0


def test_online_counts_as_near_unless_digital_skills_are_low():
    good = m.score(GOAL, m.PersonInfo(digital_skills="high", prefers_online=True), ONLINE)
    low = m.score(GOAL, m.PersonInfo(digital_skills="low", prefers_online=True), ONLINE)
    assert good.score == 3 + 2 + 1
    assert low.score == 3 + 1 - 2
    assert any("vanuit huis" in r for r in good.reasons)


def test_suggest_keeps_only_fitting_services_best_first():
    person = m.PersonInfo(postcode_area="3532", prefers_group=True, digital_skills="high")
    found = m.suggest([GOAL], person, [DEBT, ONLINE, WALK])
    assert [x.service_id for x in found[GOAL.id]] == [1, 2]
    assert m.has_fitting(GOAL, person, [WALK])
    assert not m.has_fitting(GOAL, person, [DEBT])


def test_words_and_pc4():
    assert "wande" in m.words("Ik wil wandelen")
    assert "wil" not in m.words("Ik wil wandelen")
    assert m.pc4("3511 ab") == "3511"
    assert m.pc4("3511") == "3511"
    assert m.pc4("0511") is None
    assert m.pc4("35") is None
