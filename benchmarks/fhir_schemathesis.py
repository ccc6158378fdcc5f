#!/usr/bin/env python3
"""schemathesis against the FHIR API with at least 10,000 cases (issue #15). Not a CI test: it
runs the CI test ``koers/fhir/tests/test_openapi_fuzz.py`` with a larger budget.

    .venv/bin/python benchmarks/fhir_schemathesis.py                # ≥ 10,000 cases
    .venv/bin/python benchmarks/fhir_schemathesis.py --cases 2000   # a shorter run

In-process against Django's WSGI application (no network), on the test database (SQLite, or the
PostgreSQL of ``DATABASE_URL``) with the shared cast, as a signed-in professional (writes with
her write token); checks: not a server error, a status the OpenAPI description
lists, a body matching its schema. Hypothesis stops early on an operation whose inputs run out
(``/metadata`` has none), so the number per operation is raised until the total reaches
``--cases``. Prints cases, failures, seconds and the statuses; writes
``benchmarks/results/fhir_schemathesis.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TEST = "koers/fhir/tests/test_openapi_fuzz.py"


def _operations() -> int:
    """How many operations the description has: per type a read and a search, a create and an
    update where the type has them, and /metadata."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")
    import django

    django.setup()
    from koers.fhir import registry

    types = registry.all_types()
    return 1 + sum(2 + (t.create is not None) + (t.update is not None) for t in types)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="at least this many cases in all")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    report_path = RESULTS / "fhir_schemathesis.json"
    per_operation = max(1, -(-args.cases // (_operations() - 1)))  # /metadata gives one case
    while True:
        env = {**os.environ, "KOERS_FHIR_FUZZ_EXAMPLES": str(per_operation), "KOERS_FHIR_FUZZ_REPORT": str(report_path)}
        command = [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:randomly"]
        report_path.unlink(missing_ok=True)
        result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # nosec B603  # our own test, no shell
        report = json.loads(report_path.read_text(encoding="utf-8"))
        report["examples_per_operation"] = per_operation
        report_path.write_text(json.dumps(report, indent=2), encoding="utf-8")
        if report["cases"] >= args.cases or result.returncode:
            break
        per_operation = int(per_operation * args.cases / max(report["cases"], 1)) + 1
    print(json.dumps({k: v for k, v in report.items() if k != "failed"}, indent=2))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
