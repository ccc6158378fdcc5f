#!/usr/bin/env python3
"""Scoring benchmark: Koers against fhirpath.js on the same responses, in one run, one core each.
Not a test: it measures.

    .venv/bin/python benchmarks/bench_scoring.py                      # 1,000,000 responses
    .venv/bin/python benchmarks/bench_scoring.py --responses 20000    # a quick look

It generates synthetic answers for every shipped instrument (``instruments.all()``, mixed at
random, seeded): mostly complete, some with a few items missing, some with so many missing
that the instrument's rule says "not scorable". Then, one phase after the other (never two
engines at once on the two shared cores):

1. **Koers, end to end**: ``scoring.score(inst, answers)`` per response (checking the answers,
   building the QuestionnaireResponse, evaluating the instrument's FHIRPath, bands, flags).
2. **Koers, expressions only**: the instrument's expressions on the prepared response, exactly
   what fhirpath.js is asked to do in phase 3 (variables in order, then scores, then flags).
3. **fhirpath.js** (tools/fhirpath-js/bench.js, one node process): the same expressions on the
   same responses (written to a JSONL file first; reading and parsing the file is not timed),
   with preciseMath (decimal arithmetic, as the FHIRPath Decimal type asks).
4. **fhirpath.js with its default binary floating point** on the first ``--native-sample``
   responses, to show how often that default gives another score.

Each response is timed on its own (``perf_counter_ns`` / ``process.hrtime``); the report gives
responses per second (responses / summed time), p50 and p95 per response, and the number of
responses whose scores or flags differ between Koers and fhirpath.js (must be 0). Results go to
stdout and benchmarks/results/bench_scoring-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.test_settings")


def percentiles(durations_ns: array) -> tuple[float, float]:
    ordered = sorted(durations_ns)
    if not ordered:
        return 0.0, 0.0
    return ordered[len(ordered) // 2] / 1e3, ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] / 1e3


def summary(name: str, durations_ns: array) -> dict:
    total = sum(durations_ns) / 1e9
    p50, p95 = percentiles(durations_ns)
    return {
        "engine": name,
        "responses": len(durations_ns),
        "seconds": round(total, 3),
        "per_second": round(len(durations_ns) / total, 1) if total else None,
        "p50_us": round(p50, 1),
        "p95_us": round(p95, 1),
    }


def make_answers(inst, rng: random.Random) -> dict:
    """Answers for one response: complete (75 %), a few items missing (20 %), or most missing (5 %)."""
    roll = rng.random()
    skip = 0.0 if roll < 0.75 else (0.12 if roll < 0.95 else 0.7)
    answers = {}
    for item in inst.answer_items:
        if not item.options or rng.random() < skip:
            continue
        answers[item.link_id] = rng.choice(item.options).code
    return answers


def expressions_only(inst, resource: dict):
    """The instrument's expressions on a prepared response, as bench.js does for fhirpath.js."""
    env = {"resource": resource}
    scores = {}
    flags = []
    for kind, name, fn in inst.compiled:
        result = fn(resource, env)
        if kind == "variable":
            env[name] = result
        elif kind == "score":
            scores[name] = result
        elif result and result[0] is True:
            flags.append(name)
    return scores, flags


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--native-sample", type=int, default=100_000, help="responses for phase 4 (0 = skip)")
    parser.add_argument("--keep", action="store_true", help="keep the JSONL files (printed at the end)")
    args = parser.parse_args()

    import django

    django.setup()
    from koers.questionnaires import instruments, scoring
    from koers.questionnaires.fhirpath_engine import crosscheck

    crosscheck.node_path()  # a clear message when node or fhirpath.js is missing
    load_at_start = os.getloadavg()
    shipped = list(instruments.all(include_noncommercial=True))
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="koers-bench-scoring-"))
    responses_file = workdir / "responses.jsonl"
    koers_file = workdir / "koers.jsonl"
    print(f"{args.responses:,} responses over {', '.join(i.id for i in shipped)}; files in {workdir}", flush=True)

    end_to_end = array("q")
    engine_only = array("q")
    per_instrument: dict[str, int] = {}
    not_scorable = 0
    started = time.perf_counter()
    with responses_file.open("w") as rf, koers_file.open("w") as kf:
        header = {"instruments": {inst.id: [list(step) for step in inst.expressions] for inst in shipped}}
        rf.write(crosscheck.dumps(header) + "\n")
        for n in range(args.responses):
            inst = shipped[rng.randrange(len(shipped))]
            answers = make_answers(inst, rng)
            resource = scoring.response_json(inst, answers, include_scores=False)

            t0 = time.perf_counter_ns()
            result = scoring.score(inst, answers)
            t1 = time.perf_counter_ns()
            scores, flags = expressions_only(inst, resource)
            t2 = time.perf_counter_ns()
            end_to_end.append(t1 - t0)
            engine_only.append(t2 - t1)

            per_instrument[inst.id] = per_instrument.get(inst.id, 0) + 1
            not_scorable += result.total is None
            values = {inst.main.name: result.total, **result.subscales}
            rf.write(crosscheck.dumps([inst.id, resource]) + "\n")
            kf.write(
                crosscheck.dumps([values, list(result.flags), {k: list(v) for k, v in scores.items()}, flags]) + "\n"
            )
            if (n + 1) % 100_000 == 0:
                print(f"  Koers: {n + 1:,} responses ({time.perf_counter() - started:.0f} s)", flush=True)

    koers_e2e = summary("Koers scoring.score() end to end", end_to_end)
    koers_engine = summary("Koers FHIRPath engine, expressions only", engine_only)
    del end_to_end, engine_only
    print(json.dumps(koers_e2e), json.dumps(koers_engine), sep="\n", flush=True)

    def run_js(extra: list[str], source: Path, target: Path) -> dict:
        completed = subprocess.run(
            [crosscheck.node_path(), str(crosscheck.TOOL_DIR / "bench.js"), str(source), str(target), *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(completed.stdout.strip().splitlines()[-1])

    js_file = workdir / "fhirpath-js.jsonl"
    print("fhirpath.js (preciseMath) …", flush=True)
    js = run_js([], responses_file, js_file)
    print(json.dumps(js), flush=True)

    def compare(js_scores: Path, limit: int | None = None) -> dict:
        mismatches = {"scores": 0, "flags": 0, "errors": 0, "engine_results": 0}
        examples = []
        with koers_file.open() as kf, js_scores.open() as jf:
            for n, (k_line, j_line) in enumerate(zip(kf, jf, strict=False)):
                if limit is not None and n >= limit:
                    break
                values, flags, engine_scores, engine_flags = json.loads(k_line)
                theirs = json.loads(j_line)
                if isinstance(theirs, dict):
                    mismatches["errors"] += 1
                    continue
                js_scores_, js_flags = theirs
                score_ok = all(
                    crosscheck.canonical(values[name] if values[name] is not None else None)
                    == crosscheck.canonical(js_scores_[name][0] if js_scores_[name] else None)
                    for name in values
                )
                mismatches["scores"] += not score_ok
                mismatches["flags"] += sorted(flags) != sorted(js_flags)
                mismatches["engine_results"] += any(
                    not crosscheck.same(engine_scores[name], js_scores_[name]) for name in engine_scores
                ) or sorted(engine_flags) != sorted(js_flags)
                if not score_ok and len(examples) < 5:
                    examples.append({"response": n, "koers": values, "fhirpath.js": js_scores_})
        mismatches["examples"] = examples
        return mismatches

    precise_check = compare(js_file)
    print("mismatches (preciseMath):", json.dumps(precise_check), flush=True)

    native = native_check = None
    if args.native_sample:
        sample = min(args.native_sample, args.responses)
        sample_file = workdir / "responses-sample.jsonl"
        with responses_file.open() as source, sample_file.open("w") as target:
            for n, line in enumerate(source):
                if n > sample:
                    break
                target.write(line)
        native_file = workdir / "fhirpath-js-native.jsonl"
        print(f"fhirpath.js (default floating point) on {sample:,} responses …", flush=True)
        native = run_js(["--native"], sample_file, native_file)
        print(json.dumps(native), flush=True)
        native_check = compare(native_file, limit=sample)
        print("mismatches (floating point):", json.dumps(native_check), flush=True)

    report = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "fhirpath_js": crosscheck.fhirpath_js_version(),
        "responses": args.responses,
        "seed": args.seed,
        "per_instrument": per_instrument,
        "not_scorable": not_scorable,
        "koers_end_to_end": koers_e2e,
        "koers_engine": koers_engine,
        "fhirpath_js_precise": js,
        "mismatches_precise": precise_check,
        "fhirpath_js_native": native,
        "mismatches_native": native_check,
        "koers_at_least_as_fast": {
            "end_to_end": koers_e2e["per_second"] >= js["per_second"],
            "engine": koers_engine["per_second"] >= js["per_second"],
        },
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench_scoring-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["koers_at_least_as_fast"]), f"-> {out}", flush=True)
    if not args.keep:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    failed = precise_check["scores"] or precise_check["flags"] or precise_check["errors"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
