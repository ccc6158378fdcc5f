"""Run fhirpath.js (tools/fhirpath-js) from Python, to cross-check Koers's engine against it.

Used by the cross-check tests and the scoring benchmark, never by Koers at run time. One call
to :func:`run` starts one node process for a whole batch of requests (JSON lines in, JSON lines
out; see tools/fhirpath-js/evaluate.js for the protocol).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

from koers.fhirpath.operators import q8

ROOT = Path(__file__).resolve().parents[2]
TOOL_DIR = ROOT / "tools" / "fhirpath-js"
INSTALL_HINT = (
    "fhirpath.js is needed for this cross-check: install Node.js and npm, then run "
    "'python3 dev.py test' (it runs 'npm ci' in tools/fhirpath-js) or 'cd tools/fhirpath-js && npm ci'."
)


class FhirpathJsMissing(RuntimeError):
    pass


def node_path() -> str:
    node = shutil.which("node")
    if node is None or not (TOOL_DIR / "node_modules" / "fhirpath" / "package.json").exists():
        raise FhirpathJsMissing(INSTALL_HINT)
    return node


def fhirpath_js_version() -> str:
    package = json.loads((TOOL_DIR / "node_modules" / "fhirpath" / "package.json").read_text())
    return package["version"]


def _default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(value) -> str:
    return json.dumps(value, default=_default, separators=(",", ":"), ensure_ascii=False)


def run(requests: list[dict], script: str = "evaluate.js", timeout: float = 900) -> list[dict]:
    """Send the requests to one node process; return its answers in the same order."""
    node = node_path()
    payload = "\n".join(dumps(request) for request in requests) + "\n"
    completed = subprocess.run(
        [node, str(TOOL_DIR / script)],
        input=payload,
        capture_output=True,
        text=True,
        cwd=TOOL_DIR,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"fhirpath.js failed ({completed.returncode}): {completed.stderr[-2000:]}")
    answers = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    if len(answers) != len(requests):
        raise RuntimeError(
            f"fhirpath.js answered {len(answers)} of {len(requests)} requests: {completed.stderr[-2000:]}"
        )
    return answers


def canonical(value):
    """A comparable form of a result item from either engine: numbers as Decimal rounded to the
    FHIRPath step of 10^-8 (fhirpath.js cannot tell an integer 2 from a decimal 2), objects with
    their numbers treated the same way."""
    if isinstance(value, dict):
        if set(value) == {"$decimal"}:
            return ("n", q8(Decimal(value["$decimal"])))
        return ("o", tuple(sorted((k, canonical(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("l", tuple(canonical(v) for v in value))
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | Decimal):
        return ("n", q8(Decimal(value)))
    if isinstance(value, float):
        return ("n", q8(Decimal(repr(value))))
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("null", None)
    return ("?", repr(value))


def same(koers_result: list, js_result) -> bool:
    if isinstance(js_result, dict) and "error" in js_result:
        return False
    return [canonical(v) for v in koers_result] == [canonical(v) for v in js_result]
