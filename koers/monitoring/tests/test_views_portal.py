"""The person's own self-monitoring pages: overview, quick entry, one item, own items.

Anna fills in her diary and a blood pressure on her phone, sees her values over time (a chart
with a text alternative and a table) and makes her own item. Bad input shows a message and
stores nothing; other people's items answer 404 with a refused row in the access log.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation

pytestmark = pytest.mark.django_db

ENTRY = reverse("monitoring:portal_entry")
OVERVIEW = reverse("monitoring:portal_overview")


def mtype(code: str) -> MeasurementType:
    return MeasurementType.objects.get(code=code, person__isnull=True)


def moment(days_ago: float = 0, hour: int = 9) -> dt.datetime:
    base = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return base - dt.timedelta(days=days_ago)


def fill(person, actor, code: str, values: list[float], *, start_days_ago: int | None = None, per_day: int = 1):
    """Values, per_day a day, ending yesterday (through the service, as the app would)."""
    days = len(values) // per_day
    start = start_days_ago if start_days_ago is not None else days
    entries = []
    for i, value in enumerate(values):
        day, slot = divmod(i, per_day)
        when = moment(start - day, hour=8 + 3 * slot)
        entries.append(Entry(type=mtype(code), value=value, effective_at=when))
    services.observations_record(actor=actor, person=person, entries=entries, source=Observation.Source.PORTAL)


@pytest.fixture
def diary(cast):
    """Anna's diary questions, chosen with Noor: nobody has a diary by default."""
    from koers.monitoring.services import diary_schedule_set

    diary_schedule_set(actor=cast.noor, person=cast.anna, times=["09:00", "20:00"], types=["mood", "anxiety"])


def rows(**filters) -> int:
    return AccessLogEntry.objects.filter(**filters).count()


def form_data(**values) -> dict:
    data = {"effective_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "note": ""}
    data.update(values)
    return data


# --- quick entry -------------------------------------------------------------------------------


def test_quick_entry_shows_diary_scales_with_anchors_and_the_time_defaults_to_now(cast, login, diary):
    response = login(cast.anna_user).get(ENTRY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="v_mood"' in html and html.count('name="v_mood"') == 11  # 0..10
    assert "heel somber" in html and "heel goed" in html
    assert 'type="datetime-local"' in html
    assert timezone.localtime().strftime("%Y-%m-%dT") in html
    assert 'name="v_systolic_bp"' in html  # physical values too, with their unit


def test_quick_entry_stores_several_answers_in_one_submit(cast, login, diary):
    client = login(cast.anna_user)
    response = client.post(ENTRY, form_data(v_mood="7", v_anxiety="2", v_weight="72,5"))
    assert response.status_code == 302 and response["Location"] == OVERVIEW
    stored = {o.type.code: o.value for o in Observation.objects.filter(person=cast.anna)}
    assert stored == {"mood": 7.0, "anxiety": 2.0, "weight": 72.5}
    assert set(Observation.objects.values_list("source", flat=True)) == {Observation.Source.PORTAL}
    assert set(Observation.objects.values_list("recorded_by", flat=True)) == {cast.anna_user.pk}


def test_quick_entry_converts_an_accepted_unit(cast, login):
    client = login(cast.anna_user)
    response = client.post(ENTRY, form_data(v_weight="160", u_weight="[lb_av]"))
    assert response.status_code == 302
    assert Observation.objects.get(person=cast.anna).value == pytest.approx(72.57, abs=0.01)


def test_quick_entry_from_a_prompt_asks_only_those_questions_and_marks_the_source(cast, login):
    client = login(cast.anna_user)
    html = client.get(ENTRY + "?vragen=anxiety,mood").content.decode()
    assert 'name="v_mood"' in html and 'name="v_anxiety"' in html
    assert 'name="v_energy"' not in html and 'name="v_weight"' not in html
    assert html.index('name="v_anxiety"') < html.index('name="v_mood"')  # in the order asked
    response = client.post(ENTRY + "?vragen=anxiety,mood&moment=1", form_data(v_mood="4"))
    assert response.status_code == 302
    assert Observation.objects.get(person=cast.anna).source == Observation.Source.PROMPT
    # The same questions opened from an item's own page are not a prompt's answers.
    client.post(ENTRY + "?vragen=anxiety,mood", form_data(v_anxiety="3"))
    assert Observation.objects.get(person=cast.anna, type__code="anxiety").source == Observation.Source.PORTAL


def test_quick_entry_with_nothing_filled_in_says_so_and_stores_nothing(cast, login):
    response = login(cast.anna_user).post(ENTRY, form_data())
    assert response.status_code == 200
    assert "Vul minstens één vraag in." in response.content.decode()
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"v_mood": "11"}, "Kies een van de mogelijkheden."),
        ({"v_weight": "zeventig"}, "Vul een getal in"),
        ({"v_weight": "7000"}, "kan niet"),  # impossible: the service refuses it
        ({"v_mood": "5", "effective_at": "gisteren"}, "Vul een datum en tijd in"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(cast, login, diary, data, message):
    response = login(cast.anna_user).post(ENTRY, form_data(**data))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in html
    assert not Observation.objects.exists()


def test_one_bad_answer_stores_none_of_the_others(cast, login, diary):
    response = login(cast.anna_user).post(ENTRY, form_data(v_mood="6", v_weight="7000"))
    assert response.status_code == 200
    assert 'id="id_v_weight_error"' in response.content.decode()  # the message sits at the field
    assert not Observation.objects.exists()


def test_a_wrong_choice_and_an_impossible_value_are_both_said_at_once(cast, login, diary):
    """Anna picked a mood that does not exist and typed 7000 kg: she was told about the mood, fixed
    it, and only then heard that 7000 kg cannot be right. Both in one answer, each at its field."""
    response = login(cast.anna_user).post(ENTRY, form_data(v_mood="11", v_weight="7000"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"v_mood", "v_weight"}
    assert "kan niet" in errors["v_weight"][0]
    assert not Observation.objects.exists()


def test_a_second_answer_at_the_same_moment_is_refused(cast, login, diary):
    client = login(cast.anna_user)
    data = form_data(v_mood="6")
    assert client.post(ENTRY, data).status_code == 302
    response = client.post(ENTRY, data | {"v_mood": "3"})
    assert response.status_code == 200
    assert Observation.objects.get(person=cast.anna).value == 6.0


def test_a_note_with_markup_stays_text(cast, login, diary):
    client = login(cast.anna_user)
    client.post(ENTRY, form_data(v_mood="6", note="<script>alert(1)</script>"))
    assert Observation.objects.get(person=cast.anna).note == "<script>alert(1)</script>"


# --- overview and one item ---------------------------------------------------------------------


def test_overview_shows_latest_values_with_a_small_chart_and_the_target(cast, login):
    fill(cast.anna, cast.anna_user, "mood", [5, 6, 7, 6, 8])
    services.target_set(actor=cast.noor, person=cast.anna, type=mtype("mood"), low=5, agreed_with_person=True)
    response = login(cast.anna_user).get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stemming" in html and '<p class="latest">8' in html
    assert "minstens 5" in html
    assert 'role="img"' in html and '<title id="small-mood-title">' in html
    assert reverse("monitoring:portal_detail", args=["mood"]) in html


def test_a_first_value_is_described_as_one_value(cast, login):
    """A new user's first measurement: the chart's text alternative said "1 waarden van 6
    december tot 6 december, van 5 tot 5". One value is named as one, on its day."""
    fill(cast.anna, cast.anna_user, "mood", [5])
    html = login(cast.anna_user).get(reverse("monitoring:portal_detail", args=["mood"])).content.decode()
    assert "1 waarde, op " in html
    assert "1 waarden" not in html


def test_overview_without_data_invites_to_fill_in(cast, login):
    html = login(cast.anna_user).get(OVERVIEW).content.decode()
    assert "U heeft nog geen vragen ingevuld." in html
    assert ENTRY in html


def test_detail_has_a_chart_with_a_text_alternative_and_the_numbers_in_a_table(cast, login):
    values = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]
    fill(cast.anna, cast.anna_user, "mood", values)
    response = login(cast.anna_user).get(reverse("monitoring:portal_detail", args=["mood"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-labelledby="chart-mood-title chart-mood-desc"' in html
    assert "12 waarden van" in html  # the description summarises the chart
    assert "<caption>Stemming, nieuwste eerst</caption>" in html
    assert html.count('<tr><th scope="row">') == 12
    assert "Wat valt op?" in html  # the plain-language explanations


def test_detail_of_an_unknown_or_another_persons_item_is_not_found_and_logged(cast, login):
    own = services.custom_type_create(
        actor=cast.bas_user, person=cast.bas, name="Last van de buren", anchor_low="geen", anchor_high="veel"
    )
    client = login(cast.anna_user)
    for code in (own.code, "does-not-exist"):
        before = rows(user=cast.anna_user, outcome="refused")
        response = client.get(reverse("monitoring:portal_detail", args=[code]))
        assert response.status_code == 404
        assert rows(user=cast.anna_user, outcome="refused") == before + 1


def test_pages_leave_a_read_row(cast, login):
    client = login(cast.anna_user)
    for url in (OVERVIEW, ENTRY, reverse("monitoring:portal_detail", args=["mood"])):
        before = rows(user=cast.anna_user, person=cast.anna, action="R", outcome="success")
        assert client.get(url).status_code == 200
        assert rows(user=cast.anna_user, person=cast.anna, action="R", outcome="success") > before


def test_professionals_and_strangers_do_not_reach_the_portal_pages(cast, login):
    for user in (cast.noor, cast.sam, cast.rob):
        client = login(user)
        for url in (OVERVIEW, ENTRY):
            assert client.get(url).status_code == 404


# --- own items ---------------------------------------------------------------------------------


def test_making_an_own_item_then_filling_it_in(cast, login):
    client = login(cast.anna_user)
    url = reverse("monitoring:portal_custom")
    response = client.post(
        url,
        {
            "name": "Hoeveel last had ik van de stemmen?",
            "scale": "rating",
            "anchor_low": "geen",
            "anchor_high": "heel veel",
        },
    )
    own = MeasurementType.objects.get(person=cast.anna)
    assert response.status_code == 302
    assert response["Location"] == ENTRY + f"?vragen={own.code}"
    html = client.get(response["Location"]).content.decode()
    assert "Hoeveel last had ik van de stemmen?" in html and "heel veel" in html
    assert client.post(ENTRY + f"?vragen={own.code}", form_data(**{f"v_{own.code}": "3"})).status_code == 302
    saved = Observation.objects.get(person=cast.anna, type=own)
    assert saved.value == 3 and saved.source == Observation.Source.PORTAL


def test_an_own_item_without_a_question_is_refused(cast, login):
    response = login(cast.anna_user).post(reverse("monitoring:portal_custom"), {"name": "", "scale": "rating"})
    assert response.status_code == 200
    assert "Schrijf de vraag op." in response.content.decode()
    assert not MeasurementType.objects.filter(person=cast.anna).exists()


def test_overview_queries_do_not_grow_with_the_items_or_values(cast, login, django_assert_max_num_queries):
    client = login(cast.anna_user)
    fill(cast.anna, cast.anna_user, "mood", [5, 6])
    with django_assert_max_num_queries(40) as few:
        assert client.get(OVERVIEW).status_code == 200
    for code in ("anxiety", "stress", "energy", "pain"):
        fill(cast.anna, cast.anna_user, code, [3, 4, 5, 6, 5, 4, 3, 4, 5, 6], per_day=2, start_days_ago=20)
    fill(cast.anna, cast.anna_user, "weight", [72.1, 72.4, 72.0], start_days_ago=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(OVERVIEW).status_code == 200


def test_quick_entry_asks_the_diary_items_of_the_persons_moments_first(cast, login):
    from koers.monitoring.services import diary_schedule_set

    own = services.custom_type_create(
        actor=cast.anna_user, person=cast.anna, name="Last van de buren", anchor_low="geen", anchor_high="veel"
    )
    diary_schedule_set(actor=cast.anna_user, person=cast.anna, times=["09:00", "20:00"], types=["mood", "anxiety"])
    client = login(cast.anna_user)
    html = client.get(ENTRY).content.decode()
    assert 'name="v_mood"' in html and 'name="v_anxiety"' in html and f'name="v_{own.code}"' in html
    assert 'name="v_energy"' not in html  # not one of her diary questions
    assert 'name="v_weight"' in html  # measurements stay available
    assert f'href="{ENTRY}?alles=1"' in html
    assert 'name="v_energy"' in client.get(ENTRY + "?alles=1").content.decode()
