"""Pages: the professional's screening page, entry, import, targets, goals from flags, letters
(review, send, PDF), and the person's own values and letters in the portal."""

import datetime as dt
import io
import json

import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.goals.models import Goal
from koers.screening import services
from koers.screening.models import LabLetter, Measurement, PersonalTarget, SomaticScreening

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def noor(client, cast):
    client.force_login(cast.noor)
    return client


def url(name, cast, **kwargs):
    return reverse(f"screening:{name}", kwargs={"person_id": cast.anna.pk, **kwargs})


def record(cast, measure, value, unit, person=None):
    return services.measurement_record(
        actor=cast.noor, person=person or cast.anna, measure=measure, value=value, unit=unit, taken_at=NOW
    )


def test_overview_shows_due_date_flags_and_values(noor, cast):
    services.screening_plan(actor=cast.noor, person=cast.anna, due_date=dt.date(2026, 11, 1))
    record(cast, "ldl", "3.4", "mmol/L")
    record(cast, "systolic_bp", "128", "mm[Hg]")
    response = noor.get(url("overview", cast))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Te laat:" in text and "Gepland voor 1-11-2026" in text
    assert "3,4 mmol/l — te hoog" in text and "(streefwaarde: onder 2,6 mmol/l)" in text
    assert "?meting=ldl" in text  # offer a goal for the flagged value
    assert "128 mmHg" in text
    assert AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, action="R", outcome="success").exists()


def test_overview_queries_do_not_grow_with_the_number_of_values(noor, cast, django_assert_max_num_queries):
    for value in ("3.1", "3.2"):
        record(cast, "ldl", value, "mmol/L")
    with django_assert_max_num_queries(40) as few:
        noor.get(url("overview", cast))
    for n in range(20):
        record(cast, "hdl", f"1.{n % 9}", "mmol/L")
        record(cast, "weight", f"{70 + n}", "kg")
    with django_assert_max_num_queries(len(few.captured_queries)):
        noor.get(url("overview", cast))


def test_enter_a_measurement_and_a_bad_one(noor, cast):
    data = {"measure": "weight", "value": "82,5", "unit": "kg", "taken_at": "2026-11-19"}
    response = noor.post(url("measurement_create", cast), data)
    assert response.status_code == 302
    assert Measurement.objects.get(person=cast.anna).value == 82.5
    bad = {"measure": "weight", "value": "<script>alert(1)</script>", "unit": "kg", "taken_at": "2026-11-19"}
    response = noor.post(url("measurement_create", cast), bad)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vul een getal in" in text and "<script>alert(1)</script>" not in text
    impossible = {"measure": "weight", "value": "825", "unit": "kg", "taken_at": "2026-11-19"}
    response = noor.post(url("measurement_create", cast), impossible)
    assert "kan niet kloppen" in response.content.decode()
    assert Measurement.objects.count() == 1


def test_a_wrong_date_and_an_impossible_value_are_both_said_at_once(noor, cast):
    """Noor typed a date the form could not read and 825 kg: she was told about the date, fixed it,
    and only then heard that 825 kg cannot be right. Both problems show in one answer."""
    both = {"measure": "weight", "value": "825", "unit": "kg", "taken_at": "morgen"}
    response = noor.post(url("measurement_create", cast), both)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"taken_at", "value"}
    assert "kan niet kloppen" in errors["value"][0]
    assert Measurement.objects.count() == 0


def observation(obs_id, loinc, value, unit):
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": "2026-11-12T08:30:00+01:00",
        "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": unit},
    }


def test_import_by_paste_and_by_file_all_or_nothing(noor, cast):
    bad = {"resourceType": "Bundle", "entry": [{"resource": observation("a", "14771-0", 5.1, "mmol/L")},
                                               {"resource": observation("b", "14771-0", 92, "mg/dL")}]}  # fmt: skip
    response = noor.post(url("import", cast), {"payload": json.dumps(bad)})
    assert response.status_code == 200
    assert "Onderdeel 2 (b)" in response.content.decode()
    assert not Measurement.objects.exists()
    upload = SimpleUploadedFile("lab.json", json.dumps(observation("c", "59261-8", 51, "mmol/mol")).encode())
    response = noor.post(url("import", cast), {"payload": "", "file": upload})
    assert response.status_code == 302
    assert Measurement.objects.get().measure == "hba1c"
    response = noor.post(url("import", cast), {"payload": ""})
    assert "Plak de uitslagen of kies een bestand" in response.content.decode()


def test_import_with_an_impossible_date_answers_the_form_not_a_server_error(noor, cast):
    impossible = {**observation("feb-30", "14771-0", 5.1, "mmol/L"), "effectiveDateTime": "2026-02-30T10:00:00+01:00"}
    response = noor.post(url("import", cast), {"payload": json.dumps(impossible)})
    assert response.status_code == 200
    assert "Onderdeel 1 (feb-30)" in response.content.decode()
    assert not Measurement.objects.exists()


def test_personal_target_page_shows_sources_and_saves(noor, cast):
    response = noor.get(url("target_edit", cast))
    text = response.content.decode()
    assert "NHG-Standaard Cardiovasculair risicomanagement (M84), 2019" in text
    assert "Koers-standaard" in text
    response = noor.post(url("target_edit", cast), {"measure": "hba1c", "low": "", "high": "53", "reason": "DM2"})
    assert response.status_code == 302
    assert PersonalTarget.objects.get(person=cast.anna).high == 53
    response = noor.post(url("target_edit", cast), {"measure": "hba1c", "low": "60", "high": "53"})
    assert "De ondergrens is hoger dan de bovengrens" in response.content.decode()


def test_personal_target_says_every_problem_at_once(noor, cast):
    """A reason longer than the form takes and a word as the upper bound: both in one answer."""
    data = {"measure": "hba1c", "low": "", "high": "hoog", "reason": "x" * 301}
    response = noor.post(url("target_edit", cast), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "high"}
    assert not PersonalTarget.objects.exists()


def test_plan_and_record_the_yearly_screening(noor, cast):
    response = noor.post(url("screening_plan", cast), {"due_date": "2026-11-25"})
    assert response.status_code == 302
    screening = SomaticScreening.objects.get(person=cast.anna)
    page = url("screening_record", cast, screening_id=screening.pk)
    data = {"done_on": "2026-11-19", "smoking": "former", "alcohol_units_per_week": "3", "side_effects": "Dorst"}
    assert noor.post(page, data).status_code == 302
    screening.refresh_from_db()
    assert screening.done_on == dt.date(2026, 11, 19) and screening.smoking == "former"
    assert SomaticScreening.objects.get(person=cast.anna, done_on__isnull=True).due_date == dt.date(2027, 11, 19)
    response = noor.post(page, {"done_on": "2026-11-19", "alcohol_units_per_week": "-2"})
    assert response.status_code == 200 and "glazen per week" in response.content.decode()


def test_goal_from_a_flag_only_with_the_persons_words(noor, cast):
    response = noor.get(url("goal_from_flag", cast) + "?meting=waist")
    assert response.status_code == 200
    response = noor.post(url("goal_from_flag", cast), {"measure": "waist", "description": ""})
    assert response.status_code == 200 and not Goal.objects.filter(person=cast.anna).exists()
    response = noor.post(url("goal_from_flag", cast), {"measure": "waist", "description": "Elke dag fietsen"})
    assert response.status_code == 302
    assert Goal.objects.get(person=cast.anna).description == "Elke dag fietsen"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_letter_review_send_read_in_portal_and_as_pdf(noor, client, cast):
    record(cast, "ldl", "3.4", "mmol/L")
    response = noor.post(url("letter_create", cast))
    letter = LabLetter.objects.get(person=cast.anna)
    assert response.status_code == 302 and letter.status == "draft"
    page = url("letter", cast, letter_id=letter.pk)
    assert "3,4 mmol/l" in noor.get(page).content.decode()
    # Not in the portal before it is sent.
    client.force_login(cast.anna_user)
    assert client.get(reverse("screening:portal_letter", kwargs={"letter_id": letter.pk})).status_code == 404
    client.force_login(cast.noor)
    response = noor.post(url("letter_send", cast, letter_id=letter.pk))
    letter.refresh_from_db()
    assert letter.status == "draft"  # not reviewed: not sent
    body = letter.body.replace(
        "Met vriendelijke groet", "Tot ziens bij het volgende gesprek.\n\nMet vriendelijke groet"
    )
    assert noor.post(page, {"title": letter.title, "body": body}).status_code == 302
    assert noor.post(url("letter_send", cast, letter_id=letter.pk)).status_code == 302
    letter.refresh_from_db()
    assert letter.status == "sent"
    pdf = noor.get(url("letter_pdf", cast, letter_id=letter.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(cast.anna_user)
    portal = client.get(reverse("screening:portal_overview")).content.decode()
    assert letter.title in portal and "3,4 mmol/l" in portal
    shown = client.get(reverse("screening:portal_letter", kwargs={"letter_id": letter.pk})).content.decode()
    assert "Tot ziens bij het volgende gesprek." in shown
    text = pdf_text(client.get(reverse("screening:portal_letter_pdf", kwargs={"letter_id": letter.pk})).content)
    assert "Beste Anna," in text and "3,4 mmol/l" in text and "onder 2,6 mmol/l" in text
    assert "Tot ziens bij het volgende gesprek." in text


def test_a_sent_letter_cannot_be_edited_through_the_page(noor, cast):
    record(cast, "ldl", "2.0", "mmol/L")
    letter = services.letter_draft(actor=cast.noor, person=cast.anna)
    letter = services.letter_update(actor=cast.noor, letter=letter, title="Uitslagen", body="Goed nieuws")
    services.letter_send(actor=cast.noor, letter=letter)
    noor.post(url("letter", cast, letter_id=letter.pk), {"title": "Anders", "body": "Anders"})
    letter.refresh_from_db()
    assert (letter.title, letter.body) == ("Uitslagen", "Goed nieuws")


def test_strangers_and_other_persons_objects_are_not_found(client, cast):
    record(cast, "ldl", "3.4", "mmol/L", person=cast.bas)
    bas_letter = services.letter_draft(actor=cast.noor, person=cast.bas)
    client.force_login(cast.noor)
    assert client.get(url("letter", cast, letter_id=bas_letter.pk)).status_code == 404
    client.force_login(cast.sam)
    assert client.get(url("overview", cast)).status_code == 404
    assert client.post(url("measurement_create", cast), {"measure": "weight", "value": "80", "unit": "kg",
                                                         "taken_at": "2026-11-19"}).status_code == 404  # fmt: skip
    assert not Measurement.objects.filter(person=cast.anna).exists()


def test_the_pages_are_reachable_from_the_menus(noor, client, cast):
    page = noor.get(reverse("goals:list", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert f'href="{url("overview", cast)}"' in page  # the Metingen tab on every page about a person
    client.force_login(cast.anna_user)
    portal = client.get(reverse("goals:portal_goals")).content.decode()
    assert f'href="{reverse("screening:portal_overview")}"' in portal


def test_who_looked_names_the_screening_data_in_the_persons_language(cast):
    from django.utils import translation

    from koers.workspace.who_looked import object_type_label

    assert object_type_label("screening.LabLetter") == "Brief over uw uitslagen"
    with translation.override("en"):
        assert object_type_label("screening.LabLetter") == "Letter about your results"
        assert object_type_label("screening.Measurement") == "Measurement or lab value"


def test_portal_overview_queries_do_not_grow_with_the_number_of_values(client, cast, django_assert_max_num_queries):
    client.force_login(cast.anna_user)
    record(cast, "ldl", "3.1", "mmol/L")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("screening:portal_overview"))
    for n in range(15):
        record(cast, "hdl", f"1.{n % 9}", "mmol/L")
        record(cast, "systolic_bp", f"{120 + n}", "mm[Hg]")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("screening:portal_overview"))
