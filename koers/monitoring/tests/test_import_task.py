"""The import flow end to end: upload, mapping, the task with progress, all-or-nothing storage.

Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://... pytest ...). Tasks run with the
ImmediateBackend the test settings use: ``import_queue`` runs the task before it returns.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import F

from koers.access import NotFound
from koers.accounts.models import User
from koers.monitoring import services, tasks
from koers.monitoring.entries import Entry
from koers.monitoring.models import ImportBatch, Observation
from koers.monitoring.services import entry, imports

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
GOOD_CSV = (
    "Datum;Tijd;Systolisch;Diastolisch;Gewicht (kg)\n"
    "01-03-2026;08:30;128;84;81,2\n"
    "01-03-2026;20:15;131;86;\n"
    "02-03-2026;08:10;125;80;81,0\n"
)
MAPPING = {
    "timestamp": 0,
    "time": 1,
    "columns": [
        {"index": 2, "type": "systolic_bp", "unit": "mm[Hg]"},
        {"index": 3, "type": "diastolic_bp", "unit": ""},
        {"index": 4, "type": "weight", "unit": "kg"},
    ],
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False) as frozen:
        yield frozen


def run_csv(user, person, text, mapping=MAPPING, *, encoding="utf-8") -> ImportBatch:
    batch = services.import_start(
        actor=user, person=person, kind="csv", filename="meter.csv", content=text.encode(encoding)
    )
    batch = services.import_mapping_set(actor=user, person=person, batch=batch, mapping=mapping)
    return services.import_queue(actor=user, person=person, batch=batch)


def test_good_csv_is_imported_in_full(cast):
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="meter.csv", content=GOOD_CSV.encode()
    )
    assert batch.status == ImportBatch.Status.UPLOADED and batch.total_rows == 3
    proposed = batch.mapping["proposed"]
    assert proposed["timestamp"] == 0 and proposed["time"] == 1
    assert [c["type"] for c in proposed["columns"]] == ["systolic_bp", "diastolic_bp", "weight"]
    batch = services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=proposed)
    batch = services.import_queue(actor=cast.anna_user, person=cast.anna, batch=batch)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert (batch.imported, batch.skipped, batch.processed_rows, batch.total_rows) == (8, 0, 3, 3)
    assert batch.content == "" and batch.finished_at is not None and batch.errors == []
    stored = Observation.objects.filter(person=cast.anna, batch=batch, source="csv")
    assert stored.count() == 8
    assert stored.get(type__code="weight", effective_at=dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)).value == 81.2


def test_progress_is_written_per_chunk(cast, monkeypatch):
    seen = []
    real = tasks._progress
    monkeypatch.setattr(tasks, "CHUNK", 2)
    monkeypatch.setattr(tasks, "_progress", lambda pk, n: (seen.append(n), real(pk, n)))
    rows = "".join(f"{d:02d}-03-2026;08:00;{120 + d};80;80\n" for d in range(1, 8))
    batch = run_csv(cast.anna_user, cast.anna, "Datum;Tijd;Sys;Dia;Gewicht\n" + rows)
    assert batch.status == ImportBatch.Status.DONE
    assert seen == [2, 4, 6, 7]
    assert batch.processed_rows == 7 == batch.total_rows


def test_bad_rows_are_each_named_and_nothing_is_stored(cast):
    text = (
        "Datum;Tijd;Systolisch;Diastolisch;Gewicht (kg)\n"
        "01-03-2026;08:30;128;84;81,2\n"  # row 2: fine
        "31-02-2026;08:30;128;84;81\n"  # row 3: no such date
        "02-03-2026;08:30;1280;84;81\n"  # row 4: impossible systolic
        "03-03-2026;08:30;128;84;81.2.3\n"  # row 5: not a number
        "01-03-2026;08:30;130;84;\n"  # row 6: same moment as row 2, different value
        "29-03-2026;02:30;128;84;81\n"  # row 7: does not exist (DST)
        "04-03-2026;08:30;128;84;81,0\n"  # row 8: fine
    )
    batch = run_csv(cast.anna_user, cast.anna, text)
    assert batch.status == ImportBatch.Status.FAILED
    assert Observation.objects.count() == 0
    got = [(e["row"], e["column"]) for e in batch.errors]
    assert got == [(3, "Datum"), (4, "Systolisch"), (5, "Gewicht (kg)"), (6, "Systolisch"), (7, "Datum")]
    assert "kan niet kloppen" in batch.errors[1]["message"]
    assert "twee waarden op hetzelfde tijdstip" in batch.errors[3]["message"]
    assert batch.content == "" and batch.processed_rows == 7


def test_reimporting_the_same_export_skips_and_a_changed_value_is_an_error(cast):
    first = run_csv(cast.anna_user, cast.anna, GOOD_CSV)
    assert first.imported == 8
    again = run_csv(cast.anna_user, cast.anna, GOOD_CSV)
    assert again.status == ImportBatch.Status.DONE and (again.imported, again.skipped) == (0, 8)
    more = GOOD_CSV + "03-03-2026;08:00;122;79;80,8\n"
    third = run_csv(cast.anna_user, cast.anna, more)
    assert (third.status, third.imported, third.skipped) == (ImportBatch.Status.DONE, 3, 8)
    changed = GOOD_CSV.replace("128;84", "129;84")
    failed = run_csv(cast.anna_user, cast.anna, changed)
    assert failed.status == ImportBatch.Status.FAILED
    assert [(e["row"], e["column"]) for e in failed.errors] == [(2, "Systolisch")]
    assert "staat al een waarde" in failed.errors[0]["message"]
    assert Observation.objects.count() == 11


def test_cp1252_file_is_read(cast):
    text = "Datum;Stemming;Opmerking café\n01-03-2026 09:00;6;x\n"
    batch = run_csv(cast.anna_user, cast.anna, text, {"timestamp": 0, "columns": [{"index": 1, "type": "mood"}]},
                    encoding="cp1252")  # fmt: skip
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 1


def test_utf16_with_bom_is_read(cast):
    text = "Datum\tStemming\n01-03-2026 09:00\t6\n"
    batch = run_csv(cast.anna_user, cast.anna, text, {"timestamp": 0, "columns": [{"index": 1, "type": "mood"}]},
                    encoding="utf-16")  # fmt: skip
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "leeg"),
        ("Datum;Stemming\n01-03-2026;5\n".encode("utf-16-le"), "geen tekstbestand"),  # UTF-16 without BOM
        (b"\n\n", "leeg"),
        (b"Datum;Stemming\n", "geen rijen"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "geen tekstbestand"),
        (b"x" * (5 * 1024 * 1024 + 1), "te groot"),
    ],
)
def test_unusable_uploads_are_refused_at_once(cast, content, fragment):
    with pytest.raises(ValidationError) as exc:
        services.import_start(actor=cast.anna_user, person=cast.anna, kind="csv", filename="x.csv", content=content)
    assert fragment in " ".join(exc.value.message_dict["file"])
    assert not ImportBatch.objects.exists()


def test_mapping_is_checked_and_queueing_needs_it(cast):
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="m.csv", content=GOOD_CSV
    )
    with pytest.raises(ValidationError) as exc:
        services.import_queue(actor=cast.anna_user, person=cast.anna, batch=batch)
    assert "kolommen" in exc.value.messages[0]
    bad = {"timestamp": 0, "columns": [{"index": 2, "type": "weight", "unit": "stone"}, {"index": 9, "type": "mood"}]}
    with pytest.raises(ValidationError) as exc:
        services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=bad)
    assert len(exc.value.messages) == 2
    with pytest.raises(ValidationError):
        services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping={"columns": "x"})
    services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    done = services.import_queue(actor=cast.anna_user, person=cast.anna, batch=batch)
    with pytest.raises(ValidationError):
        services.import_queue(actor=cast.anna_user, person=cast.anna, batch=done)
    with pytest.raises(ValidationError):
        services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=done, mapping=MAPPING)


def test_access(cast):
    with pytest.raises(NotFound):
        services.import_start(actor=cast.sam, person=cast.anna, kind="csv", filename="x.csv", content=GOOD_CSV)
    batch = services.import_start(actor=cast.noor, person=cast.anna, kind="csv", filename="x.csv", content=GOOD_CSV)
    with pytest.raises(NotFound):  # Bas's own import page cannot reach Anna's batch
        services.import_mapping_set(actor=cast.bas_user, person=cast.bas, batch=batch, mapping=MAPPING)
    with pytest.raises(NotFound):
        services.import_queue(actor=cast.sam, person=cast.anna, batch=batch)


def test_care_team_left_before_the_task_ran(cast):
    from koers.network.models import CareTeamMember

    batch = services.import_start(actor=cast.gert, person=cast.anna, kind="csv", filename="x.csv", content=GOOD_CSV)
    services.import_mapping_set(actor=cast.gert, person=cast.anna, batch=batch, mapping=MAPPING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    CareTeamMember.objects.filter(person=cast.anna, professional=cast.gert).update(ended_at=NOW)
    assert tasks.process(batch.pk)["status"] == ImportBatch.Status.FAILED
    batch.refresh_from_db()
    assert "geen metingen meer" in batch.errors[0]["message"] and not Observation.objects.exists()
    assert tasks.process(batch.pk) == {"status": "not queued"}  # a finished batch is never run again


def test_a_conflict_at_store_time_rolls_back_everything(cast, monkeypatch):
    """A value stored by someone else between the check and the write (here: the check is made
    blind to it) makes the second insert batch fail: the first batch's rows are rolled back too."""
    rows = "".join(f"{(NOW - dt.timedelta(hours=h)).strftime('%Y-%m-%dT%H:%M:%SZ')};{h % 10}\n" for h in range(1, 1601))
    conflict_at = NOW - dt.timedelta(hours=1500)
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=[Entry("mood", 9, conflict_at)], source="portal"
    )
    monkeypatch.setattr(entry, "_existing_values", lambda person, rows: {})
    monkeypatch.setattr(imports, "INSERT_CHUNK", 500)  # rows 1-500, 501-1000 are written before the conflict
    mapping = {"timestamp": 0, "columns": [{"index": 1, "type": "mood"}]}
    batch = run_csv(cast.anna_user, cast.anna, "Tijdstip;Stemming\n" + rows, mapping)
    assert batch.status == ImportBatch.Status.FAILED
    assert "niets bewaard" in batch.errors[0]["message"]
    assert Observation.objects.count() == 1  # only the one that was there


def test_unexpected_failure_leaves_a_failed_batch_without_content(cast, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "import_store", boom)
    batch = run_csv(cast.anna_user, cast.anna, GOOD_CSV)
    assert batch.status == ImportBatch.Status.FAILED and batch.content == ""
    assert "niets bewaard" in batch.errors[0]["message"]
    assert not Observation.objects.exists()


def fhir_obs(id_, value, when, code="29463-7", unit="kg"):
    return {
        "resource": {
            "resourceType": "Observation",
            "id": id_,
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
            "effectiveDateTime": when,
            "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": unit},
        }
    }


def test_fhir_bundle_import(cast):
    good = json.dumps(
        {
            "resourceType": "Bundle",
            "entry": [
                fhir_obs("a", 80.1, "2026-03-01T08:00:00Z"),
                fhir_obs("b", 99, "2026-03-01T08:00:00Z", "41653-7", "mg/dL"),
            ],
        }
    )
    batch = services.import_start(actor=cast.noor, person=cast.anna, kind="fhir", filename="b.json", content=good)
    assert batch.total_rows == 2
    batch = services.import_queue(actor=cast.noor, person=cast.anna, batch=batch)
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 2
    glucose = Observation.objects.get(type__code="glucose")
    assert glucose.value == pytest.approx(5.49, abs=0.01) and glucose.external_id == "b" and glucose.source == "fhir"
    bad = json.dumps(
        {
            "resourceType": "Bundle",
            "entry": [fhir_obs("c", 80.5, "2026-03-02T08:00:00Z"), fhir_obs("d", 8000, "2026-03-03T08:00:00Z")],
        }
    )
    uploaded = services.import_start(actor=cast.noor, person=cast.anna, kind="fhir", filename="c.json", content=bad)
    failed = services.import_queue(actor=cast.noor, person=cast.anna, batch=uploaded)
    assert failed.status == ImportBatch.Status.FAILED and failed.errors[0]["row"] == 2
    assert Observation.objects.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.import_start(actor=cast.noor, person=cast.anna, kind="fhir", filename="x.json", content="{}")
    assert "bundel" in exc.value.message_dict["file"][0]


def test_errors_are_capped(cast, monkeypatch):
    monkeypatch.setattr(tasks, "MAX_STORED_ERRORS", 5)
    rows = "".join(f"niet-{i};5\n" for i in range(12))
    batch = run_csv(
        cast.anna_user,
        cast.anna,
        "Datum;Stemming\n" + rows,
        {"timestamp": 0, "columns": [{"index": 1, "type": "mood"}]},
    )
    assert len(batch.errors) == 6 and "nog 7 andere" in batch.errors[-1]["message"]


def test_the_example_in_the_docs_imports_as_documented(cast):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "monitoring.md").read_text(encoding="utf-8")
    example = doc.split("Example (`;`, decimal comma")[1].split("```")[1].strip() + "\n"
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="doc.csv", content=example
    )
    batch = services.import_queue(
        actor=cast.anna_user,
        person=cast.anna,
        batch=services.import_mapping_set(
            actor=cast.anna_user, person=cast.anna, batch=batch, mapping=batch.mapping["proposed"]
        ),
    )
    assert batch.status == ImportBatch.Status.DONE and batch.imported == 11
    broken = example.replace("01-03-2026;20:15", "31-02-2026;08:30")
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="doc.csv", content=broken
    )
    batch = services.import_queue(
        actor=cast.anna_user,
        person=cast.anna,
        batch=services.import_mapping_set(
            actor=cast.anna_user, person=cast.anna, batch=batch, mapping=batch.mapping["proposed"]
        ),
    )
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        {"row": 3, "column": "Datum", "message": "‘31-02-2026 08:30’ is geen datum en tijd die Koers kan lezen."}
    ]


def _left_running(cast, *, attempt=1) -> ImportBatch:
    """A queued batch that a worker took up and then lost (killed): running, no sign of life since NOW."""
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="x.csv", content=GOOD_CSV
    )
    services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING, attempt=attempt, processed_rows=2)
    return batch


def test_an_import_whose_worker_was_lost_is_run_again_and_stored_once(cast, django_capture_on_commit_callbacks):
    batch = _left_running(cast)
    assert tasks.imports_resume(now=NOW + dt.timedelta(minutes=9)) == {"resumed": 0, "ended": 0}  # may be working
    with django_capture_on_commit_callbacks(execute=True) as queued:
        resumed = tasks.imports_resume(now=NOW + tasks.RESUME_AFTER + dt.timedelta(seconds=1))
    assert resumed == {"resumed": 1, "ended": 0}
    assert len(queued) == 1  # handed to a worker after the commit (the test backend runs it at once)
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.imported, batch.content) == (ImportBatch.Status.DONE, 2, 8, "")
    assert Observation.objects.filter(person=cast.anna).count() == 8
    assert tasks.process(batch.pk) == {"status": "not queued"}  # the queue's own copy, if it survived


def test_a_queued_import_whose_queue_was_lost_is_handed_to_a_worker_again(cast, django_capture_on_commit_callbacks):
    batch = _left_running(cast, attempt=0)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.imports_resume(now=NOW + dt.timedelta(minutes=11))["resumed"] == 1
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.imported) == (ImportBatch.Status.DONE, 1, 8)


@pytest.mark.parametrize("csv", [GOOD_CSV, GOOD_CSV + "31-02-2026;08:30;128;84;81\n"], ids=["good", "bad row"])
def test_a_worker_that_lost_its_run_stores_nothing_and_ends_nothing(cast, monkeypatch, csv):
    """The worker was thought lost and the batch taken up again (its attempt moved on) while it
    was checking: at its final transaction it stores nothing, and with a bad row it does not mark
    the batch failed either. The run that has the batch now finishes it."""
    real_check = tasks._check_all

    def check_then_taken_over(batch, *args):
        checked = real_check(batch, *args)
        ImportBatch.objects.filter(pk=batch.pk).update(attempt=F("attempt") + 1)
        return checked

    monkeypatch.setattr(tasks, "_check_all", check_then_taken_over)
    batch = run_csv(cast.anna_user, cast.anna, csv)
    assert not Observation.objects.filter(person=cast.anna).exists()
    assert (batch.status, batch.attempt, batch.imported, batch.errors) == (ImportBatch.Status.RUNNING, 2, 0, [])


def test_an_import_is_given_up_after_three_runs_or_two_hours(cast):
    tried = _left_running(cast, attempt=tasks.MAX_ATTEMPTS)
    assert tasks.imports_resume(now=NOW + dt.timedelta(minutes=11)) == {"resumed": 0, "ended": 1}
    tried.refresh_from_db()
    assert tried.status == ImportBatch.Status.FAILED and tried.content == ""
    assert "niet afgemaakt" in tried.errors[0]["message"]
    old = _left_running(cast)
    ImportBatch.objects.filter(pk=old.pk).update(alive_at=NOW + dt.timedelta(hours=3))  # alive, but too long
    assert tasks.imports_resume(now=NOW + dt.timedelta(hours=2, minutes=1)) == {"resumed": 0, "ended": 1}
    old.refresh_from_db()
    assert old.status == ImportBatch.Status.FAILED and not Observation.objects.exists()
    assert tasks.process(old.pk) == {"status": "not queued"}


def test_a_given_up_import_says_so_in_the_language_of_who_imported_it(cast):
    """The run writes its messages in the importer's language (``language_of``); the sweep that
    gives an import up wrote its one message in Dutch for everyone."""
    User.objects.filter(pk=cast.anna_user.pk).update(preferred_language="en")
    tried = _left_running(cast, attempt=tasks.MAX_ATTEMPTS)
    assert tasks.imports_resume(now=NOW + dt.timedelta(minutes=11))["ended"] == 1
    tried.refresh_from_db()
    message = tried.errors[0]["message"]
    assert "niet afgemaakt" not in message and "nothing was saved" in message.lower()


def test_an_import_that_shows_progress_is_left_to_its_worker(cast, monkeypatch, _frozen):
    seen = []
    real = tasks._progress

    def progress_later(batch, n):  # each chunk checked ten minutes after the last
        _frozen.move_to(NOW + dt.timedelta(minutes=10 * (len(seen) + 1)))
        seen.append(tasks.imports_resume())
        real(batch, n)

    monkeypatch.setattr(tasks, "CHUNK", 1)
    monkeypatch.setattr(tasks, "_progress", progress_later)
    batch = run_csv(cast.anna_user, cast.anna, GOOD_CSV)
    assert batch.status == ImportBatch.Status.DONE and batch.attempt == 1
    assert seen == [{"resumed": 0, "ended": 0}] * 3


def test_an_import_ended_while_it_ran_stores_nothing(cast, monkeypatch):
    """The scheduler may give an import up while a slow worker still checks its rows: the
    worker's final transaction then finds it no longer running and stores nothing."""
    batch = services.import_start(
        actor=cast.anna_user, person=cast.anna, kind="csv", filename="x.csv", content=GOOD_CSV
    )
    services.import_mapping_set(actor=cast.anna_user, person=cast.anna, batch=batch, mapping=MAPPING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    check = entry.entries_check

    def check_while_the_scheduler_ends_it(*args, **kwargs):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED)
        return check(*args, **kwargs)

    monkeypatch.setattr(entry, "entries_check", check_while_the_scheduler_ends_it)
    assert tasks.process(batch.pk) == tasks.ENDED_ELSEWHERE
    assert not Observation.objects.filter(person=cast.anna).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
