"""The person's data export: contents, schema, PDF, who may download it, the log, expiry."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from koers.audit.models import AccessLogEntry
from koers.exports import build, services, summary, tasks
from koers.exports.models import ExportRequest
from koers.exports.tests.schema_check import problems
from koers.goals.models import Goal
from koers.notifications import sources
from koers.people import exports
from koers.people.models import Profile
from tests.support.testing import make_full_record
from tests.test_url_access import share_everything

PAGE = reverse("exports:portal_export")


def _ask(client, user) -> ExportRequest:
    client.force_login(user)
    response = client.post(PAGE)
    assert response.status_code == 302
    return ExportRequest.objects.filter(person=user.person).first()


def _zip(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("exports:portal_zip", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _section(archive, key) -> list[dict]:
    return json.loads(archive.read(f"sections/{key}.json"))["records"]


@pytest.fixture
def anna_export(cast, client):
    make_full_record(cast.anna, professional=cast.noor)
    make_full_record(cast.bas, professional=cast.noor)
    export = _ask(client, cast.anna_user)
    export.refresh_from_db()
    return export


@pytest.mark.django_db
def test_the_task_builds_the_export_and_the_zip_holds_every_section(cast, client, anna_export):
    """In tests the task backend is immediate: asking runs the task to the end."""
    assert anna_export.status == ExportRequest.Status.READY
    assert anna_export.sections_done == anna_export.sections_total == len(exports.sections())
    archive = _zip(client, anna_export)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["person"] == {"id": cast.anna.pk, "name": str(cast.anna)}
    assert [s["key"] for s in manifest["sections"]] == [s.key for s in exports.sections()]
    # Every file's checksum is in the manifest and is right.
    names = set(archive.namelist()) - {"manifest.json"}
    assert set(manifest["files"]) == names
    for name in names:
        assert hashlib.sha256(archive.read(name)).hexdigest() == manifest["files"][name]
    counts = {s["key"]: s["count"] for s in manifest["sections"]}
    for key in ("person", "profile", "conditions", "medication", "goals", "gas_levels", "actions", "decisions",
                "consults", "care_plan_versions", "questionnaire_responses", "questionnaire_scores",
                "measurements", "observations", "own_items", "messages", "care_team", "access_log"):  # fmt: skip
        assert counts[key] >= 1, key
        assert len(_section(archive, key)) == counts[key]


@pytest.mark.django_db
def test_records_are_the_persons_own_with_iso_dates_and_dutch_labels(cast, client, anna_export):
    archive = _zip(client, anna_export)
    goals = _section(archive, "goals")
    assert [g["description"] for g in goals] == ["Ik wil weer uitgerust wakker worden"]
    assert all(g["person"] == cast.anna.pk for g in goals)
    goal = goals[0]
    dt.datetime.fromisoformat(goal["created_at"])
    assert goal["life_domain"]["code"] == "health"
    assert goal["life_domain"]["label"] and goal["life_domain"]["label"] != "health"
    assert goal["created_by"] == cast.noor.display_name()  # a name, never an account id
    # Nothing of Bas, and no secrets or staff addresses.
    for name in archive.namelist():
        if name.startswith("sections/"):
            for record in _section(archive, name.removeprefix("sections/").removesuffix(".json")):
                assert record.get("person", cast.anna.pk) == cast.anna.pk
    assert all("client_address" not in row for row in _section(archive, "access_log"))
    assert all("token_hash" not in row for row in _section(archive, "calendar_links"))
    assert "user" not in _section(archive, "person")[0]


@pytest.mark.django_db
def test_every_file_validates_against_the_documented_schema(client, anna_export):
    archive = _zip(client, anna_export)
    schema = json.loads(archive.read("schema.json"))
    assert schema == build.full_schema()
    assert problems(json.loads(archive.read("manifest.json")), schema["$defs"]["manifest"]) == []
    for section in exports.sections():
        document = json.loads(archive.read(f"sections/{section.key}.json"))
        assert problems(document, schema["$defs"][f"section_{section.key}"]) == [], section.key
    # The check is not vacuous: a wrong type, a missing field and an extra field are caught.
    goal_schema = schema["$defs"]["section_goals"]
    document = json.loads(archive.read("sections/goals.json"))
    document["records"][0]["created_at"] = 12
    document["records"][0].pop("description")
    document["records"][0]["secret"] = "x"
    assert len(problems(document, goal_schema)) == 3


@pytest.mark.django_db
def test_the_pdf_is_readable_per_section(client, anna_export):
    response = client.get(reverse("exports:portal_pdf", args=[anna_export.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Uw gegevens in Koers" in text
    assert "Doelen (1)" in text
    assert "Ik wil weer uitgerust wakker worden" in text
    assert "Metformine" in text


@pytest.mark.django_db
def test_each_step_leaves_an_access_log_row(cast, client, anna_export):
    rows = AccessLogEntry.objects.filter(person=cast.anna, object_type="exports.ExportRequest")
    assert rows.filter(action="C", user=cast.anna_user).count() == 1
    assert rows.filter(action="E", user=cast.anna_user, outcome="success").count() == 1
    _zip(client, anna_export)
    assert rows.filter(action="R", user=cast.anna_user, detail="export gedownload (zip)").count() == 1
    anna_export.refresh_from_db()
    assert anna_export.downloads == 1


@pytest.mark.django_db
def test_another_persons_export_answers_like_a_missing_one(cast, client, anna_export):
    for outsider in (cast.bas_user, cast.noor, cast.rob):
        client.force_login(outsider)
        for url in (
            reverse("exports:portal_zip", args=[anna_export.pk]),
            reverse("exports:portal_pdf", args=[anna_export.pk]),
            reverse("exports:portal_zip", args=[999999]),
        ):
            refused = AccessLogEntry.objects.filter(user=outsider, outcome="refused").count()
            response = client.get(url)
            assert response.status_code == 404, (outsider, url)
            assert AccessLogEntry.objects.filter(user=outsider, outcome="refused").count() == refused + 1
            assert b"PK" not in response.content[:2]
    # Bas asking for his own export never gets Anna's data.
    client.force_login(cast.bas_user)
    export = _ask(client, cast.bas_user)
    archive = _zip(client, export)
    assert "Anna" not in archive.read("manifest.json").decode()


@pytest.mark.django_db
def test_a_second_request_waits_for_the_first(cast, client):
    ExportRequest.objects.create(person=cast.anna, requested_by=cast.anna_user)
    client.force_login(cast.anna_user)
    response = client.post(PAGE, follow=True)
    assert "Er wordt al een download voor u gemaakt" in response.content.decode()
    assert ExportRequest.objects.filter(person=cast.anna).count() == 1


@pytest.mark.django_db
def test_a_request_whose_worker_was_lost_does_not_block_for_ever(cast, client):
    lost = ExportRequest.objects.create(
        person=cast.anna, requested_by=cast.anna_user, requested_at=timezone.now() - dt.timedelta(hours=3)
    )
    assert services.exports_resume(enqueue=tasks.export_build.enqueue) == {"resumed": 0, "ended": 1}
    lost.refresh_from_db()
    assert lost.status == ExportRequest.Status.FAILED
    export = _ask(client, cast.anna_user)
    export.refresh_from_db()
    assert export.pk != lost.pk and export.status == ExportRequest.Status.READY


def _lost_build(cast, *, attempt: int) -> ExportRequest:
    """A build that a worker took up, wrote its zip for, and was killed before marking it ready."""
    export = ExportRequest.objects.create(
        person=cast.anna, requested_by=cast.anna_user, status=ExportRequest.Status.RUNNING, attempt=attempt
    )
    services.storage().save(services.file_name(export, attempt), io.BytesIO(b"half"))
    return export


def _built(cast) -> int:
    return AccessLogEntry.objects.filter(person=cast.anna, detail__startswith="export gemaakt").count()


@pytest.mark.django_db
def test_a_build_whose_worker_was_lost_is_built_again_and_its_file_removed(cast, django_capture_on_commit_callbacks):
    lost = _lost_build(cast, attempt=1)
    assert services.exports_resume(enqueue=tasks.export_build.enqueue) == {
        "resumed": 0,
        "ended": 0,
    }  # it may still be working
    later = timezone.now() + services.RESUME_AFTER + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.exports_resume(enqueue=tasks.export_build.enqueue, now=later) == {"resumed": 1, "ended": 0}
    assert len(queued) == 1
    lost.refresh_from_db()
    assert (lost.status, lost.attempt, lost.file_name) == ("ready", 2, services.file_name(lost, 2))
    assert not services.storage().exists(services.file_name(lost, 1)), "the lost build's file is removed"
    assert zipfile.ZipFile(io.BytesIO(services.storage().open(lost.file_name).read())).testzip() is None
    assert _built(cast) == 1
    assert services.export_run(lost.pk) == ExportRequest.Status.READY  # the queue's own copy builds nothing


@pytest.mark.django_db
def test_a_build_of_a_request_removed_with_its_person_does_nothing(cast):
    export = ExportRequest.objects.create(person=cast.anna, requested_by=cast.anna_user)
    ExportRequest.objects.filter(pk=export.pk).delete()
    assert services.export_run(export.pk) == services.GONE


@pytest.mark.django_db
def test_a_build_that_lost_its_request_offers_nothing(cast, monkeypatch):
    """The worker was thought lost and the request built again (its attempt moved on) while this
    build ran: it does not mark the request ready, logs no build and leaves no file."""
    export = ExportRequest.objects.create(person=cast.anna, requested_by=cast.anna_user)
    real_build = build.build_zip

    def build_then_taken_over(actor, person, progress=None):
        built = real_build(actor, person, progress=progress)
        ExportRequest.objects.filter(pk=export.pk).update(attempt=2)
        return built

    monkeypatch.setattr(build, "build_zip", build_then_taken_over)
    assert services.export_run(export.pk) == ExportRequest.Status.RUNNING
    export.refresh_from_db()
    assert (export.status, export.file_name, _built(cast)) == ("running", "", 0)
    assert not services.storage().exists(services.file_name(export, 1))


@pytest.mark.django_db
def test_a_build_is_given_up_after_three_attempts_and_its_files_removed(cast):
    lost = _lost_build(cast, attempt=services.MAX_ATTEMPTS)
    later = timezone.now() + services.RESUME_AFTER + dt.timedelta(seconds=1)
    assert services.exports_resume(enqueue=tasks.export_build.enqueue, now=later) == {"resumed": 0, "ended": 1}
    lost.refresh_from_db()
    assert lost.status == ExportRequest.Status.FAILED and not lost.downloadable
    assert not services.storage().exists(services.file_name(lost, services.MAX_ATTEMPTS))


@pytest.mark.django_db
def test_progress_is_polled_with_an_accessible_status(cast, client):
    ExportRequest.objects.create(person=cast.anna, requested_by=cast.anna_user, sections_done=3, sections_total=40)
    client.force_login(cast.anna_user)
    page = client.get(PAGE).content.decode()
    assert 'aria-live="polite"' in page and "<h1>" in page
    partial = client.get(PAGE, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in partial
    assert 'role="status"' in partial and "3 van 40" in partial
    assert 'hx-trigger="every 2s"' in partial
    assert '<progress max="40" value="3"' in partial


@pytest.mark.django_db
def test_the_file_is_deleted_after_seven_days(cast, client, anna_export):
    name = anna_export.file_name
    assert services.storage().exists(name)
    assert services.exports_expire() == 0  # not yet
    assert services.exports_expire(now=timezone.now() + dt.timedelta(days=7, minutes=1)) == 1
    anna_export.refresh_from_db()
    assert anna_export.status == ExportRequest.Status.EXPIRED and anna_export.file_name == ""
    assert not services.storage().exists(name)
    assert AccessLogEntry.objects.filter(
        person=cast.anna, action="D", object_type="exports.ExportRequest", object_id=str(anna_export.pk)
    ).exists()
    response = client.get(reverse("exports:portal_zip", args=[anna_export.pk]))
    assert response.status_code == 200
    assert "verlopen" in response.content.decode() and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_section_is_included_only_if_the_requester_may_read_its_category(cast):
    """Today only the person asks; a later requester (the network, issue #12) gets no more than
    the policy table gives: the care team may not read the access log or the calendar link."""
    everything = {s.key for s in build.included_sections(cast.anna_user, cast.anna)}
    assert everything == {s.key for s in exports.sections()}
    for_the_team = {s.key for s in build.included_sections(cast.noor, cast.anna)}
    assert {"access_log", "export_requests", "calendar_links"}.isdisjoint(for_the_team)
    assert {"goals", "consults", "conditions"} <= for_the_team
    assert build.included_sections(cast.sam, cast.anna) == []


def test_the_scheduler_runs_the_clean_up_and_the_resume():
    assert {tasks.exports_expire, tasks.exports_resume} <= set(sources.periodic_tasks())


@pytest.mark.django_db
def test_the_page_in_english_and_the_link_on_the_portal_home(cast, client):
    client.force_login(cast.anna_user)
    home = client.get(reverse("workspace:portal_home")).content.decode()
    assert PAGE in home
    english = client.get(PAGE, headers={"Accept-Language": "en"}).content.decode()
    assert "Download my data" in english and "Make a new download" in english


# Words that are Dutch as they stand (a field named so needs no other words).
DUTCH_AS_IT_STANDS = {"gender"}


def test_every_field_in_the_summary_has_dutch_words():
    """Anna's summary read "member: Rob de Boer; topic: careplan; granted: ja", "suggested level",
    "expires at", "lifecycle status": 198 fields had only their English names. Every field of
    every registered section that the summary shows has Dutch words; the rest is left to the JSON."""
    english = {
        f"{section.key}.{field.name}"
        for section in exports.sections()
        for field in section.fields()
        if summary.readable(section, field)
        and summary.label(section, field) == field.name.replace("_", " ")
        and field.name not in DUTCH_AS_IT_STANDS
    }
    assert not english, f"fields shown by their English names: {sorted(english)}"


@pytest.mark.django_db
def test_the_summary_shows_words_for_codes_and_a_decimal_comma(cast, client):
    make_full_record(cast.anna, professional=cast.noor)
    Profile.objects.update_or_create(person=cast.anna, defaults={"sleep_hours_per_night": Decimal("5.5")})
    share_everything(cast.anna, cast.rob)
    export = _ask(client, cast.anna_user)
    response = client.get(reverse("exports:portal_pdf", args=[export.pk]))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "slaap (uren per nacht): 5,5" in text
    assert "naaste of zorgverlener: Rob de Boer; onderwerp: zorgplan; mag zien: ja" in text
    for english in ("member:", "topic:", "granted:", "careplan", "lifecycle status", "object type", "row hash"):
        assert english not in text, english


@pytest.mark.django_db
def test_a_download_not_yet_begun_says_so_without_counting_nothing(cast, client):
    """Right after asking, Anna read "Uw download wordt gemaakt: 0 van 0 onderdelen klaar."
    Until the worker has counted the parts, the page says only that it is being made."""
    ExportRequest.objects.create(person=cast.anna, requested_by=cast.anna_user, status=ExportRequest.Status.QUEUED)
    client.force_login(cast.anna_user)
    page = client.get(PAGE).content.decode()
    assert "Uw download wordt gemaakt. Dit kan even duren." in page
    assert "0 van 0" not in page


@pytest.mark.django_db
def test_the_summary_is_in_the_language_the_person_chose(cast, client):
    """Anna chose English; her data download's readable summary was still all Dutch ("Uw gegevens
    in Koers", "onderwerp: zorgplan; mag zien: ja", "5,5"). The summary is for her, so it is in
    her language, codes by their English labels; the JSON stays the documented Dutch format."""
    make_full_record(cast.anna, professional=cast.noor)
    Profile.objects.update_or_create(person=cast.anna, defaults={"sleep_hours_per_night": Decimal("5.5")})
    share_everything(cast.anna, cast.rob)
    cast.anna_user.preferred_language = "en"
    cast.anna_user.save(update_fields=["preferred_language"])
    export = _ask(client, cast.anna_user)
    response = client.get(reverse("exports:portal_pdf", args=[export.pk]))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Your data in Koers" in text
    assert "5.5" in text and "5,5" not in text
    assert "topic: care plan" in text.lower(), text[:2000]
    for dutch in ("Uw gegevens", "onderwerp:", "mag zien:", "aangemaakt op", ": ja", "Doelen (", "Dagboektijden"):
        assert dutch not in text, dutch
    # a measurement by its name and the unit as people write it, never a code or a homonym's word
    assert "measurement: LDL cholesterol" in text and "unit: mmol/l" in text
    for code in ("measurement: ldl", "UCUM", "{score}", "town:"):
        assert code not in text, code
    goal = _section(_zip(client, export), "goals")[0]
    with translation.override("nl"):
        dutch = str(dict(Goal._meta.get_field("lifecycle_status").flatchoices)[goal["lifecycle_status"]["code"]])
    assert goal["lifecycle_status"]["label"] == dutch  # the JSON keeps its documented Dutch labels
