"""Pages of koers.people: happy paths, bad input (nothing saved), other people's ids, escaping, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember
from koers.people import services
from koers.people.models import Condition, Medication, Person, Profile, SupportLevelDecision

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
# The answer on the confirmation page (koers.lib.confirm), with the required reason (issue #12).
YES = {"bevestigd": "ja", "reden": "Besproken met de cliënt"}


def url(name, person, **kwargs):
    return reverse(f"people:{name}", kwargs={"person_id": person.pk, **kwargs})


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


@pytest.fixture
def anna_data(cast):
    condition = Condition.objects.create(
        person=cast.anna, display="Diabetes mellitus type 2", code_system=Condition.CodeSystem.ICPC, code="T90"
    )
    medication = Medication.objects.create(person=cast.anna, name="Metformine", dosage="2x per dag 500 mg")
    return condition, medication


@pytest.fixture
def bas_data(cast):
    condition = Condition.objects.create(person=cast.bas, display="Astma")
    medication = Medication.objects.create(person=cast.bas, name="Salbutamol")
    return condition, medication


# --- the profile page -------------------------------------------------------------------------


def test_profile_page_shows_the_whole_profile_and_logs_the_read(cast, login, anna_data):
    services.profile_update(
        actor=cast.noor, person=cast.anna, what_matters="Fietsen met mijn kleinzoon", self_management_capacity="low"
    )
    services.support_level_decide(actor=cast.noor, person=cast.anna, level="chain_care", agreed_with_person=True)
    response = login(cast.noor).get(url("profile", cast.anna))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Fietsen met mijn kleinzoon",
        "Diabetes mellitus type 2",
        "T90",
        "Metformine",
        "Ketenzorg",
        "Zelf de regie voeren over de gezondheid lukt nu moeilijk.",  # a reason of the suggestion
        "Geschiedenis",
    ):
        assert text in body, text
    assert body.count("<h1") == 1
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="R", object_type="people.Profile", outcome="success"
    ).exists()


def test_profile_page_query_count_does_not_grow_with_conditions_and_medication(
    cast, login, anna_data, django_assert_num_queries
):
    client = login(cast.noor)
    services.support_level_decide(actor=cast.noor, person=cast.anna, level="chain_care", agreed_with_person=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url("profile", cast.anna)).status_code == 200
    for i in range(15):
        Condition.objects.create(person=cast.anna, display=f"Aandoening {i}", clinical_status="active")
        Condition.objects.create(person=cast.anna, display=f"Oud {i}", clinical_status="resolved")
        Medication.objects.create(person=cast.anna, name=f"Medicijn {i}", active=i % 2 == 0)
        services.support_level_decide(
            actor=cast.noor, person=cast.anna, level="self_management", agreed_with_person=True
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("profile", cast.anna))
    assert "Aandoening 14" in response.content.decode()


def test_profile_pages_are_not_found_for_strangers_and_the_person_with_a_refused_row(cast, login, anna_data):
    condition, medication = anna_data
    pages = [
        url("profile", cast.anna),
        url("profile_edit", cast.anna),
        url("condition_add", cast.anna),
        url("condition_edit", cast.anna, condition_id=condition.pk),
        url("medication_edit", cast.anna, medication_id=medication.pk),
        url("support_level", cast.anna),
        reverse("network:care_team", args=[cast.anna.pk]),
    ]
    for outsider in (cast.sam, cast.cor, cast.rob, cast.anna_user):
        client = login(outsider)
        for page in pages:
            before = refused(outsider)
            assert client.get(page).status_code == 404, (outsider, page)
            assert refused(outsider) == before + 1


# --- editing the profile ----------------------------------------------------------------------


def profile_post(**overrides):
    data = {
        "smoking": "current",
        "alcohol_units_per_week": "10",
        "exercise_minutes_per_week": "90",
        "sleep_hours_per_night": "6,5",
        "living_situation": "alone",
        "daytime_activity": "none",
        "money_worries": "ja",
        "social_network": "low",
        "self_management_capacity": "moderate",
        "health_literacy": "low",
        "digital_skills": "high",
        "prefers_group": "on",
        "what_matters": "Weer kunnen werken",
        "values": "Eerlijkheid",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_profile_edit_saves_and_redirects(cast, login):
    client = login(cast.noor)
    assert client.get(url("profile_edit", cast.anna)).status_code == 200
    response = client.post(url("profile_edit", cast.anna), profile_post())
    assert response.status_code == 302 and response["Location"] == url("profile", cast.anna)
    profile = Profile.objects.get(person=cast.anna)
    assert profile.smoking == "current" and profile.alcohol_units_per_week == 10
    assert str(profile.sleep_hours_per_night) == "6.5" and profile.money_worries is True
    assert profile.prefers_group and not profile.prefers_online
    # The form shows the saved values again.
    body = client.get(url("profile_edit", cast.anna)).content.decode()
    assert 'value="10"' in body and "Weer kunnen werken" in body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("alcohol_units_per_week", "veel"),
        ("alcohol_units_per_week", "-1"),
        ("alcohol_units_per_week", "100000"),
        ("exercise_minutes_per_week", "1.5"),
        ("sleep_hours_per_night", "30"),
        ("sleep_hours_per_night", "lang"),
        ("smoking", "sometimes"),
        ("money_worries", "misschien"),
        ("what_matters", "x" * 4001),
    ],
)
def test_profile_edit_bad_input_shows_a_message_and_saves_nothing(cast, login, field, value):
    response = login(cast.noor).post(url("profile_edit", cast.anna), profile_post(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Er klopt iets niet" in response.content.decode()
    profile = Profile.objects.get(person=cast.anna)
    assert profile.smoking == "" and profile.what_matters == ""


def test_script_in_the_profile_is_stored_as_typed_and_shown_escaped(cast, login):
    client = login(cast.noor)
    client.post(url("profile_edit", cast.anna), profile_post(what_matters=SCRIPT))
    assert Profile.objects.get(person=cast.anna).what_matters == SCRIPT
    body = client.get(url("profile", cast.anna)).content.decode()
    assert SCRIPT not in body and ESCAPED in body


# --- conditions -------------------------------------------------------------------------------


def test_condition_add_picked_from_the_list_fills_in_the_code(cast, login):
    client = login(cast.noor)
    assert client.get(url("condition_add", cast.anna)).status_code == 200
    response = client.post(
        url("condition_add", cast.anna),
        {"pick": "copd", "display": "", "category": "somatic", "clinical_status": "active"},
    )
    assert response.status_code == 302
    condition = Condition.objects.get(person=cast.anna)
    assert (condition.display, condition.code_system, condition.code) == ("COPD", Condition.CodeSystem.ICPC, "R95")
    assert AccessLogEntry.objects.filter(user=cast.noor, action="C", object_type="people.Condition").exists()


def test_condition_add_as_free_text(cast, login):
    response = login(cast.noor).post(
        url("condition_add", cast.anna),
        {
            "display": "Chronische vermoeidheid",
            "category": "somatic",
            "clinical_status": "active",
            "onset_date": "2024-05-01",
        },
    )
    assert response.status_code == 302
    condition = Condition.objects.get(person=cast.anna)
    assert (condition.code, condition.onset_date) == ("", dt.date(2024, 5, 1))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display": ""}, "display", "Kies een aandoening uit de lijst of schrijf de naam op."),
        ({"code": "T90"}, "code_system", "Kies bij een code ook het codestelsel"),
        ({"code_system": Condition.CodeSystem.SNOMED, "code": "abc"}, "code", "SNOMED CT-code"),
        ({"display": "x" * 201}, "display", ""),
        ({"pick": "no-such-thing"}, "pick", ""),
        ({"onset_date": "gisteren"}, "onset_date", ""),
        ({"onset_date": "2999-01-01"}, "onset_date", "toekomst"),
        ({"category": "spiritual"}, "category", ""),
    ],
)
def test_condition_add_bad_input_shows_a_message_and_saves_nothing(cast, login, data, field, message):
    values = {"display": "Astma", "category": "somatic", "clinical_status": "active"} | data
    response = login(cast.noor).post(url("condition_add", cast.anna), values)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Condition.objects.exists()


def test_condition_add_and_edit_say_every_problem_at_once(cast, login, anna_data):
    """Noor left the name empty, typed letters as a SNOMED code and an onset in the future: she
    heard about the name, wrote it, and only then about the code and the date. All in one answer,
    when adding and when changing."""
    condition, _medication = anna_data
    values = {"display": "", "category": "somatic", "clinical_status": "active"}
    values |= {"code_system": Condition.CodeSystem.SNOMED, "code": "abc", "onset_date": "2999-01-01"}
    client = login(cast.noor)
    for page in (url("condition_add", cast.anna), url("condition_edit", cast.anna, condition_id=condition.pk)):
        response = client.post(page, values)
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"display", "code", "onset_date"}, page
    assert list(Condition.objects.filter(person=cast.anna)) == [condition]
    condition.refresh_from_db()
    assert condition.display != ""


def test_condition_name_with_script_is_escaped(cast, login):
    client = login(cast.noor)
    client.post(
        url("condition_add", cast.anna), {"display": SCRIPT, "category": "somatic", "clinical_status": "active"}
    )
    assert Condition.objects.get(person=cast.anna).display == SCRIPT
    body = client.get(url("profile", cast.anna)).content.decode()
    assert SCRIPT not in body and ESCAPED in body


def test_condition_edit_and_another_persons_condition_is_not_found(cast, login, anna_data, bas_data):
    condition, _medication = anna_data
    bas_condition, _ = bas_data
    client = login(cast.noor)
    page = url("condition_edit", cast.anna, condition_id=condition.pk)
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {"display": "Diabetes type 2", "code_system": condition.code_system, "code": "T90", "category": "somatic",
         "clinical_status": "remission"},
    )  # fmt: skip
    assert response.status_code == 302
    condition.refresh_from_db()
    assert (condition.display, condition.clinical_status) == ("Diabetes type 2", "remission")
    # Bas's condition under Anna's record: 404 like a missing one, refused row, nothing changed.
    before = refused(cast.noor)
    foreign = url("condition_edit", cast.anna, condition_id=bas_condition.pk)
    assert client.get(foreign).status_code == 404
    assert (
        client.post(foreign, {"display": "Gehackt", "category": "somatic", "clinical_status": "active"}).status_code
        == 404
    )
    assert client.get(url("condition_edit", cast.anna, condition_id=999999)).status_code == 404
    assert refused(cast.noor) == before + 3
    bas_condition.refresh_from_db()
    assert bas_condition.display == "Astma"


def test_condition_remove_is_scoped_to_the_person(cast, login, anna_data, bas_data):
    condition, _ = anna_data
    bas_condition, _ = bas_data
    client = login(cast.noor)
    assert client.post(url("condition_remove", cast.anna, condition_id=bas_condition.pk), YES).status_code == 404
    assert Condition.objects.filter(pk=bas_condition.pk).exists()
    response = client.post(url("condition_remove", cast.anna, condition_id=condition.pk), YES)
    assert response.status_code == 302 and response["Location"].endswith("#aandoeningen")
    condition.refresh_from_db()
    assert condition.verification_status == "entered_in_error"


def test_condition_resolve_twice_explains_instead_of_failing(cast, login, anna_data):
    condition, _ = anna_data
    client = login(cast.noor)
    response = client.post(url("condition_resolve", cast.anna, condition_id=condition.pk), YES)
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.clinical_status == "resolved"
    response = client.post(url("condition_resolve", cast.anna, condition_id=condition.pk), YES)
    assert response.status_code == 302
    assert any("al als" in str(m) for m in get_messages(response.wsgi_request))


# --- medication -------------------------------------------------------------------------------


def test_medication_add_edit_stop(cast, login):
    client = login(cast.noor)
    assert client.get(url("medication_add", cast.anna)).status_code == 200
    response = client.post(
        url("medication_add", cast.anna), {"name": "Sertraline", "dosage": "50 mg", "reason": "depressie"}
    )
    assert response.status_code == 302
    medication = Medication.objects.get(person=cast.anna)
    page = url("medication_edit", cast.anna, medication_id=medication.pk)
    assert client.get(page).status_code == 200
    client.post(page, {"name": "Sertraline", "dosage": "100 mg", "reason": "depressie"})
    medication.refresh_from_db()
    assert medication.dosage == "100 mg"
    response = client.post(url("medication_stop", cast.anna, medication_id=medication.pk), YES)
    assert response.status_code == 302 and response["Location"].endswith("#medicatie")
    medication.refresh_from_db()
    assert not medication.active


@pytest.mark.parametrize("data", [{"name": ""}, {"name": "x" * 201}, {"note": "x" * 2001}])
def test_medication_add_bad_input_saves_nothing(cast, login, data):
    response = login(cast.noor).post(url("medication_add", cast.anna), {"name": "Metformine"} | data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Medication.objects.exists()


def test_another_persons_medication_is_not_found(cast, login, bas_data):
    _, bas_medication = bas_data
    client = login(cast.noor)
    before = refused(cast.noor)
    assert client.get(url("medication_edit", cast.anna, medication_id=bas_medication.pk)).status_code == 404
    assert client.post(url("medication_stop", cast.anna, medication_id=bas_medication.pk)).status_code == 404
    assert refused(cast.noor) == before + 2
    bas_medication.refresh_from_db()
    assert bas_medication.active


# --- support level ----------------------------------------------------------------------------


def test_support_level_page_shows_the_suggestion_and_records_the_decision(cast, login):
    services.profile_update(
        actor=cast.noor, person=cast.anna, severe_mental_illness=True, health_literacy="high", social_network="high"
    )
    client = login(cast.noor)
    response = client.get(url("support_level", cast.anna))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Er is een ernstige psychische aandoening (EPA)." in body
    assert "<legend>" in body  # the radio group has a legend
    assert response.context["form"].initial["level"] == "chain_care"
    response = client.post(
        url("support_level", cast.anna), {"level": "case_management", "agreed_with_person": "on", "note": "Samen"}
    )
    assert response.status_code == 302
    decision = SupportLevelDecision.objects.get(person=cast.anna)
    assert (decision.level, decision.suggested_level, decision.agreed_with_person) == (
        "case_management",
        "chain_care",
        True,
    )
    assert decision.suggestion_reasons[0]["code"] == "severe_mental_illness"


@pytest.mark.parametrize("data", [{}, {"level": "alles"}, {"level": "chain_care", "note": "x" * 2001}])
def test_support_level_bad_input_saves_nothing(cast, login, data):
    response = login(cast.noor).post(url("support_level", cast.anna), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not SupportLevelDecision.objects.exists()


# --- registering a person ---------------------------------------------------------------------


def register_post(**overrides):
    data = {"given_name": "Dirk", "family_name": "Visser", "birth_date": "1950-02-03", "gender": "male"}
    data.update(overrides)
    return data


def test_register_a_person_without_an_account(cast, login):
    client = login(cast.noor)
    assert client.get(reverse("people:register")).status_code == 200
    response = client.post(reverse("people:register"), register_post())
    person = Person.objects.get(given_name="Dirk")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:person", kwargs={"person_id": person.pk})
    assert person.user is None
    assert CareTeamMember.objects.filter(person=person, professional=cast.noor, role="responsible").exists()


def test_register_with_a_portal_account_shows_an_activation_letter_and_no_password(cast, login):
    """Issue #11: the professional prints a letter with a single-use code; no password anywhere."""
    client = login(cast.noor)
    response = client.post(
        reverse("people:register"), register_post(portal_account="on", username="dirk.visser", channel="letter")
    )
    assert response.status_code == 200
    account = User.objects.get(username="dirk.visser")
    assert account.role == User.Role.PERSON and account.person.given_name == "Dirk"
    assert not account.has_usable_password()
    html = response.content.decode()
    assert "wachtwoord:" not in html.lower() and "Eerste wachtwoord" not in html
    code = response.context["code"]
    assert code in html and "dirk.visser" in html
    assert reverse("accounts:activate_link", args=[code.replace("-", "")]) in html
    back = client.get(reverse("workspace:person", kwargs={"person_id": account.person.pk})).content.decode()
    assert code not in back  # shown once


def test_register_with_an_email_code_sends_it_and_shows_nothing(cast, login, mailoutbox):
    client = login(cast.noor)
    response = client.post(
        reverse("people:register"),
        register_post(portal_account="on", username="dirk.visser", email="dirk@example.org", channel="email"),
    )
    assert response.status_code == 200
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["dirk@example.org"]
    body = mailoutbox[0].body
    assert "dirk.visser" in body and "/account/activeren/" in body
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", body).group(0)
    assert code not in response.content.decode()  # sent, not shown to the professional
    assert "dirk@example.org" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"given_name": ""}, "given_name"),
        ({"family_name": "x" * 151}, "family_name"),
        ({"birth_date": "morgen"}, "birth_date"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"email": "geen-adres"}, "email"),
        ({"portal_account": "on", "username": ""}, "username"),
        ({"portal_account": "on", "username": "anna"}, "username"),
        ({"portal_account": "on", "username": "met spatie"}, "username"),
    ],
)
def test_register_bad_input_shows_a_message_and_creates_nothing(cast, login, data, field):
    persons, users = Person.objects.count(), User.objects.count()
    response = login(cast.noor).post(reverse("people:register"), register_post(**data))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (Person.objects.count(), User.objects.count()) == (persons, users)


def test_register_shows_every_problem_at_once(cast, login):
    """Noor left the first name empty and mistyped the e-mail address; after fixing those two, the
    form came back with four more (birth date in the future, phone, BSN, username taken) that it
    could have named the first time. Every problem shows in one answer, and nothing is saved."""
    persons, users = Person.objects.count(), User.objects.count()
    data = register_post(given_name="", email="geen-adres", birth_date="2999-01-01", phone="abc", bsn="123456789") | {
        "portal_account": "on",
        "username": "anna",
        "channel": "letter",
    }
    response = login(cast.noor).post(reverse("people:register"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"given_name", "email", "birth_date", "phone", "bsn", "username"} <= set(errors)
    assert all(len(messages) == 1 for messages in errors.values()), errors  # one message a field
    assert (Person.objects.count(), User.objects.count()) == (persons, users)


def test_register_is_only_for_professionals(cast, login, client):
    for user in (cast.anna_user, cast.mia, cast.rob):
        assert login(user).get(reverse("people:register")).status_code == 404
        assert login(user).post(reverse("people:register"), register_post()).status_code == 404
    client.logout()
    assert client.get(reverse("people:register")).status_code == 302
    assert not Person.objects.filter(given_name="Dirk").exists()


def test_register_escapes_names(cast, login):
    client = login(cast.noor)
    response = client.post(reverse("people:register"), register_post(given_name=SCRIPT), follow=True)
    body = response.content.decode()
    assert SCRIPT not in body and ESCAPED in body


# --- the person's own profile -----------------------------------------------------------------


def test_portal_profile_shows_my_profile_read_only_for_conditions(cast, login, anna_data):
    services.profile_update(actor=cast.noor, person=cast.anna, what_matters="Mijn tuin")
    services.support_level_decide(actor=cast.noor, person=cast.anna, level="self_management", agreed_with_person=True)
    response = login(cast.anna_user).get(reverse("people:portal_profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn tuin" in body and "Diabetes mellitus type 2" in body and "Metformine" in body
    assert "Zelfmanagement" in body and "U houdt zelf de regie" in body
    assert reverse("people:portal_profile_edit") in body
    assert "/aandoeningen/" not in body and "/medicatie/" not in body  # no edit links for conditions or medication
    assert AccessLogEntry.objects.filter(
        user=cast.anna_user, person=cast.anna, action="R", object_type="people.Profile"
    ).exists()


def test_portal_profile_edit_changes_what_matters_only(cast, login):
    client = login(cast.anna_user)
    assert client.get(reverse("people:portal_profile_edit")).status_code == 200
    response = client.post(
        reverse("people:portal_profile_edit"),
        {"what_matters": SCRIPT, "values": "Zelf beslissen", "prefers_online": "on", "smoking": "current",
         "self_management_capacity": "high"},
    )  # fmt: skip
    assert response.status_code == 302
    profile = Profile.objects.get(person=cast.anna)
    assert profile.what_matters == SCRIPT and profile.prefers_online
    assert profile.smoking == "" and profile.self_management_capacity == ""  # not the person's to set here
    body = client.get(reverse("people:portal_profile")).content.decode()
    assert SCRIPT not in body and ESCAPED in body


def test_portal_profile_edit_bad_input_saves_nothing(cast, login):
    response = login(cast.anna_user).post(reverse("people:portal_profile_edit"), {"what_matters": "x" * 4001})
    assert response.status_code == 200 and "what_matters" in response.context["form"].errors
    assert Profile.objects.get(person=cast.anna).what_matters == ""


def test_portal_profile_is_only_for_the_person(cast, login):
    for user in (cast.noor, cast.rob, cast.mia):
        assert login(user).get(reverse("people:portal_profile")).status_code == 404
        assert login(user).post(reverse("people:portal_profile_edit"), {"what_matters": "x"}).status_code == 404
    assert Profile.objects.get(person=cast.anna).what_matters == ""


@pytest.mark.parametrize(
    ("minutes", "dutch", "english"),
    [(1, "1 minuut per week", "1 minute per week"), (90, "90 minuten per week", "90 minutes per week")],
)
def test_exercise_minutes_are_named_in_the_singular_for_one(cast, login, minutes, dutch, english):
    services.profile_update(actor=cast.noor, person=cast.anna, exercise_minutes_per_week=minutes)
    own = login(cast.anna_user)
    assert dutch in own.get(reverse("people:portal_profile")).content.decode()
    staff = login(cast.noor)
    assert dutch in staff.get(url("profile", cast.anna)).content.decode()
    staff.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert english in staff.get(url("profile", cast.anna)).content.decode()
