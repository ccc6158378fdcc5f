"""FHIR API at scale (issue #15): read and search p50/p95, and ``$export`` throughput next to
PostgreSQL ``COPY`` of the same rows, in the same run.

Not a test; it measures. Needs a PostgreSQL database filled by ``koers generate --people N``:

    DATABASE_URL=postgres://root@127.0.0.1:5432/koers_h2 KOERS_DEBUG=true \\
        .venv/bin/python benchmarks/fhir_scale.py [--requests 200]

- Reads and searches go through the whole stack in-process (``django.test.Client``, the URL
  resolver, middleware, a SMART bearer token of the professional with the largest caseload,
  the access layer and the access log): Patient read, Observation search by patient, Goal search
  by patient, CarePlan read.
- ``$export``: the organisation with the most persons in care gets a system client; the export
  is made by ``bulk.bulk_export_run`` (what the task runs: policy, queries, mappers, NDJSON files,
  the per-person access-log rows), timed from start to ready. Beside it, ``COPY (SELECT …) TO
  STDOUT`` of the same tables' rows for the same persons. Ratio = export rows/s ÷ COPY rows/s.

``--paths old,new,parallel,apart`` makes the export once per path, each followed by its own COPY,
in that order (``--rounds N`` repeats the sequence): ``old`` makes the self-measurement lines in
Python (``bulk_types.SQL_LINES = False``), ``new`` has PostgreSQL make them
(``koers.fhir.bulk_sql``), ``parallel`` also writes the Observation file in a second thread
(``bulk.PARALLEL``, the default), ``apart`` also writes the ``bulk.APART`` types in a second
process — only under ``KOERS_CODE`` pointing at a checkout of branch ``export-plain`` (the sixth
step's forked process, measured and not merged: docs/decisions.md).

Writes ``benchmarks/results/fhir_scale.json`` (``--out`` for another name). ``KOERS_CODE=<checkout>``
runs another checkout's export code under this script (``main`` beside a branch, same run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
# KOERS_CODE=/path/to/another/checkout measures that checkout's code with this script (its COPY
# queries), so two versions of the export can be compared in the same minutes.
sys.path.insert(0, os.environ.get("KOERS_CODE", str(ROOT)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402

from koers.audit.models import AccessLogEntry  # noqa: E402
from koers.careplans.models import CarePlan  # noqa: E402
from koers.fhir import bulk, tasks  # noqa: E402
from koers.fhir.models import BulkExport  # noqa: E402
from koers.network.models import CareTeamMember  # noqa: E402
from koers.people.models import Person  # noqa: E402
from koers.smart import services as smart  # noqa: E402
from koers.smart.grants import Grant  # noqa: E402
from koers.smart.models import SystemClient  # noqa: E402

# The rows an organisation export reads, per table, for the persons in $1's care (COPY side).
IN_CARE = "SELECT person_id FROM network_careteammember WHERE organisation_id = {org} AND ended_at IS NULL"
COPY_QUERIES = {
    "Patient": "SELECT * FROM people_person WHERE id IN ({in_care})",
    "CareTeam": "SELECT * FROM network_careteammember WHERE ended_at IS NULL AND person_id IN ({in_care})",
    "Goal": "SELECT * FROM goals_goal WHERE person_id IN ({in_care})",
    "GoalLevels": (
        "SELECT l.* FROM goals_gaslevel l JOIN goals_goal g ON g.id = l.goal_id WHERE g.person_id IN ({in_care})"
    ),
    "CarePlan": (
        "SELECT DISTINCT ON (p.person_id) v.* FROM careplans_careplanversion v JOIN careplans_careplan p "
        "ON p.id = v.care_plan_id WHERE p.person_id IN ({in_care}) ORDER BY p.person_id, v.number DESC"
    ),
    "Observation": (
        "SELECT r.* FROM goals_goalreview r JOIN goals_goal g ON g.id = r.goal_id "
        "WHERE r.gas_level IS NOT NULL AND g.person_id IN ({in_care})"
    ),
    "Observation (self-measurements)": "SELECT * FROM monitoring_observation WHERE person_id IN ({in_care})",
    "Observation (lab values)": "SELECT * FROM screening_measurement WHERE person_id IN ({in_care})",
    "Observation (scores)": "SELECT * FROM questionnaires_score WHERE person_id IN ({in_care})",
    "QuestionnaireResponse": "SELECT * FROM questionnaires_response WHERE person_id IN ({in_care})",
    "Task": "SELECT * FROM goals_action WHERE person_id IN ({in_care})",
    "Task (questionnaires)": "SELECT * FROM questionnaires_assignment WHERE person_id IN ({in_care})",
    "Consent": "SELECT * FROM network_consent WHERE person_id IN ({in_care})",
}


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(client, urls, headers) -> dict:
    times, statuses = [], {}
    for url in urls:
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    return {
        "requests": len(times),
        "p50_ms": round(pct(times, 50), 1),
        "p95_ms": round(pct(times, 95), 1),
        "statuses": statuses,
    }


def reads(requests: int) -> dict:
    busiest = (
        CareTeamMember.objects.filter(ended_at__isnull=True)
        .values("professional")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    professional = CareTeamMember.objects.filter(professional=busiest["professional"]).first().professional
    token = smart.api_token_issue(username=professional.username, scope="user/*.read", minutes=60)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    persons = list(
        CareTeamMember.objects.filter(professional=professional, ended_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    ids = [persons[i % len(persons)] for i in range(requests)]
    plans = dict(CarePlan.objects.filter(person_id__in=persons).values_list("person_id", "pk"))
    plan_ids = [plans[p] for p in ids if p in plans][:requests]
    client = Client()
    for pid in ids[:10]:  # warm up
        client.get(f"/fhir/Patient/{pid}", headers=headers)
    return {
        "reader": f"{professional.discipline or professional.role}, caseload {len(persons)}",
        "Patient read": timed(client, [f"/fhir/Patient/{p}" for p in ids], headers),
        "Observation search by patient": timed(client, [f"/fhir/Observation?patient={p}" for p in ids], headers),
        "Goal search by patient": timed(client, [f"/fhir/Goal?patient={p}" for p in ids], headers),
        "CarePlan read": timed(client, [f"/fhir/CarePlan/{p}" for p in plan_ids], headers),
    }


def system_client(organisation) -> SystemClient:
    Application = get_application_model()
    application, _ = Application.objects.get_or_create(
        name=f"benchmark export {organisation.pk}",
        defaults={
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    client, _ = SystemClient.objects.get_or_create(application=application, defaults={"organisation": organisation})
    return client


def copy_rows(org_id: int) -> dict:
    in_care = IN_CARE.format(org=org_id)
    found, total_rows, total_bytes = {}, 0, 0
    start_all = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        for name, query in COPY_QUERIES.items():
            sql = f"COPY ({query.format(in_care=in_care)}) TO STDOUT"
            start = time.perf_counter()
            rows = size = 0
            with raw.copy(sql) as copy:
                for data in copy:
                    size += len(data)
                    rows += bytes(data).count(b"\n")
            found[name] = {"rows": rows, "seconds": round(time.perf_counter() - start, 3)}
            total_rows += rows
            total_bytes += size
    seconds = time.perf_counter() - start_all
    return {
        "tables": found,
        "rows": total_rows,
        "bytes": total_bytes,
        "seconds": round(seconds, 3),
        "rows_per_s": round(total_rows / seconds),
    }


def export_paths(org_id_hint: int | None, paths: list[str], rounds: int) -> list[dict]:
    """One export per path and round, alternating, each with its COPY and the load around it."""
    from koers.fhir import bulk_types

    try:
        from koers.fhir import bulk_apart  # not in a checkout before the sixth step
    except ImportError:
        bulk_apart = None
    runs = []
    for number in range(1, rounds + 1):
        for path in paths:
            bulk_types.SQL_LINES = path in ("new", "parallel", "apart")
            bulk.PARALLEL = path in ("parallel", "apart")
            if bulk_apart is not None:
                bulk_apart.ENABLED = path == "apart"
            load_before = os.getloadavg()
            run = export(org_id_hint)
            runs.append(
                {"path": path, "round": number, "load_before": load_before, "load_after": os.getloadavg(), **run}
            )
            shown = ("rows", "seconds", "cpu_seconds", "ratio_rows_per_s", "files_sha256", "log_sha256")
            print(path, number, {k: run[k] for k in shown}, {"copy_s": run["copy"]["seconds"]}, flush=True)
    return runs


def export(org_id_hint: int | None) -> dict:
    org_id = (
        org_id_hint
        or (
            CareTeamMember.objects.filter(ended_at__isnull=True)
            .values("organisation")
            .annotate(n=Count("person", distinct=True))
            .order_by("-n")
            .first()["organisation"]
        )
    )
    client = system_client(Person._meta.apps.get_model("accounts", "Organisation").objects.get(pk=org_id))
    grant = Grant(user=None, system=client.application.client_id, scopes=frozenset({"system/*.read"}), patient_id=None)
    types = [name for name in bulk.TYPES if grant.allows(name, "read")]
    with mock.patch.object(tasks, "bulk_export_build"):
        job = bulk.group_export_request(system_client=client, types=types, since=None, request_url="benchmark")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start, cpu = time.perf_counter(), time.process_time()
    status = bulk.bulk_export_run(job.pk)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    job = BulkExport.objects.get(pk=job.pk)
    rows = sum(f["count"] for f in job.files)
    size = sum(bulk.storage().size(f["name"]) for f in job.files)
    hashes = output_hashes(job)
    bulk.bulk_export_cancel(export=job)  # delete the files again
    copy = copy_rows(org_id)
    return {
        "organisation": org_id,
        "persons": CareTeamMember.objects.filter(organisation_id=org_id, ended_at__isnull=True)
        .values("person")
        .distinct()
        .count(),
        "status": status,
        "files": {f["type"]: f["count"] for f in job.files},
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),  # this process's CPU (not PostgreSQL's): what the load does not stretch
        "child_cpu_seconds": round(child_cpu, 3),  # a forked process's CPU (koers.fhir.bulk_apart)
        "rows_per_s": round(rows / seconds),
        "copy": copy,
        "ratio_rows_per_s": round((rows / seconds) / copy["rows_per_s"], 3),
        **hashes,
    }


def output_hashes(job) -> dict:
    """SHA-256 of the export's files and indexes (type, file, index in manifest order) and of its
    build's access-log rows (person and detail, in id order): two checkouts' exports of one
    database are the same output when both hashes are."""
    files = hashlib.sha256()
    for entry in job.files:
        files.update(entry["type"].encode() + b"\n")
        for name in (entry["name"], entry["index"]):
            with bulk.storage().open(name, "rb") as data:
                for block in iter(lambda data=data: data.read(1 << 20), b""):
                    files.update(block)
    log = hashlib.sha256()
    entries = AccessLogEntry.objects.filter(
        object_type=BulkExport._meta.label, object_id=str(job.pk), action=AccessLogEntry.Action.EXECUTE
    )
    for person_id, detail in entries.order_by("pk").values_list("person_id", "detail"):
        log.update(f"{person_id}\t{detail}\n".encode())
    return {"files_sha256": files.hexdigest()[:16], "log_sha256": log.hexdigest()[:16], "log_rows": entries.count()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--organisation", type=int, default=None)
    parser.add_argument("--skip-reads", action="store_true")
    parser.add_argument("--out", default="fhir_scale.json")
    parser.add_argument("--paths", default="", help="e.g. old,new: the export once per path (see above)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run this on PostgreSQL (DATABASE_URL).")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": os.getloadavg(),
        "people": Person.objects.count(),
    }
    if not args.skip_reads:
        result["reads"] = reads(args.requests)
    if args.paths:
        result["exports"] = export_paths(args.organisation, args.paths.split(","), args.rounds)
    else:
        result["export"] = export(args.organisation)
    result["load_after"] = os.getloadavg()
    result["code"] = os.environ.get("KOERS_CODE", str(ROOT))
    out = ROOT / "benchmarks" / "results" / args.out
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
