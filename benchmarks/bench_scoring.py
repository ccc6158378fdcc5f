#!/usr/bin/env python3
"""Scoring benchmark: Koers against fhirpath.js on the same responses, in one run, one core each.
Not a test: it measures.

    .venv/bin/python benchmarks/bench_scoring.py                      # 1,000,000 responses
    .venv/bin/python benchmarks/bench_scoring.py --responses 20000    # a quick look

It generates synthetic answers for every shipped instrument (``instruments.all()`` with the
non-commercial WHO-5, mixed at random, seeded): 75 % complete, 20 % with about one item in
eight missing, 5 % with most items missing (so the instrument's rule says "not scorable").
It works in chunks (``--chunk`` responses) and runs the engines one after the other on each
chunk, never at the same time, so that both see the same load on a shared machine:

1. **Koers, end to end**: ``scoring.score(inst, answers)`` per response (checking the answers,
   building the QuestionnaireResponse, evaluating the instrument's FHIRPath, bands, flags).
2. **Koers, expressions only**: the instrument's expressions on the prepared response, exactly
   what fhirpath.js is asked to do (variables in order, then scores, then flags).
3. **fhirpath.js** (tools/fhirpath-js/bench.js, one node process for the whole run): the same
   expressions on the same responses, read from the chunk's JSONL file (reading and parsing are
   not timed), with preciseMath (decimal arithmetic, as the FHIRPath Decimal type asks).
4. **fhirpath.js with its default JavaScript numbers** on the first ``--native-sample``
   responses, to see how often that default gives another score.

Every response is timed on its own (``perf_counter_ns`` / ``process.hrtime``). The report gives
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
import shutil
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


def summary(name: str, durations_ns: array) -> dict:
    total = sum(durations_ns) / 1e9
    ordered = sorted(durations_ns)
    n = len(ordered)
    return {
        "engine": name,
        "responses": n,
        "seconds": round(total, 3),
        "per_second": round(n / total, 1) if total else None,
        "p50_us": round(ordered[n // 2] / 1e3, 1) if n else None,
        "p95_us": round(ordered[min(n - 1, int(0.95 * n))] / 1e3, 1) if n else None,
    }


def make_answers(inst, rng: random.Random) -> dict:
    roll = rng.random()
    skip = 0.0 if roll < 0.75 else (0.12 if roll < 0.95 else 0.7)
    return {
        item.link_id: rng.choice(item.options).code
        for item in inst.answer_items
        if item.options and rng.random() >= skip
    }


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


class FhirpathJs:
    """One node process running tools/fhirpath-js/bench.js for the whole benchmark."""

    def __init__(self, node: str, tool_dir: Path, instruments: dict):
        self.process = subprocess.Popen(
            [node, str(tool_dir / "bench.js")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tool_dir
        )
        self.info = self.ask({"instruments": instruments})

    def ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=25_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--native-sample", type=int, default=100_000, help="responses for step 4 (0 = skip)")
    args = parser.parse_args()

    import django

    django.setup()
    from koers.questionnaires import instruments, scoring
    from tests.support import crosscheck

    node = crosscheck.node_path()  # a clear message when node or fhirpath.js is missing
    load_at_start = os.getloadavg()
    shipped = list(instruments.all(include_noncommercial=True))
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="koers-bench-scoring-"))
    js = FhirpathJs(node, crosscheck.TOOL_DIR, {inst.id: [list(s) for s in inst.expressions] for inst in shipped})
    print(f"{args.responses:,} responses over {', '.join(i.id for i in shipped)}; {js.info}", flush=True)

    timings = {name: array("q") for name in ("end_to_end", "engine", "js", "js_native")}
    mismatches = {"precise": {"scores": 0, "flags": 0, "errors": 0, "engine": 0}, "native": None}
    examples: list = []
    per_instrument: dict[str, int] = {}
    not_scorable = 0
    native_left = args.native_sample
    if native_left:
        mismatches["native"] = {"scores": 0, "flags": 0, "errors": 0}

    def same_scores(koers: dict, theirs: dict) -> bool:
        return all(
            crosscheck.canonical(value) == crosscheck.canonical(theirs[name][0] if theirs.get(name) else None)
            if value is not None
            else not theirs.get(name)
            for name, value in koers.items()
        )

    started = time.perf_counter()
    done = 0
    try:
        while done < args.responses:
            size = min(args.chunk, args.responses - done)
            chunk_file = workdir / "chunk.jsonl"
            koers_results = []
            with chunk_file.open("w") as out:
                for _ in range(size):
                    inst = shipped[rng.randrange(len(shipped))]
                    answers = make_answers(inst, rng)
                    resource = scoring.response_json(inst, answers, include_scores=False)
                    t0 = time.perf_counter_ns()
                    result = scoring.score(inst, answers)
                    t1 = time.perf_counter_ns()
                    scores, flags = expressions_only(inst, resource)
                    t2 = time.perf_counter_ns()
                    timings["end_to_end"].append(t1 - t0)
                    timings["engine"].append(t2 - t1)
                    per_instrument[inst.id] = per_instrument.get(inst.id, 0) + 1
                    not_scorable += result.total is None
                    values = {inst.main.name: result.total, **result.subscales}
                    koers_results.append((values, sorted(result.flags), scores, sorted(flags)))
                    out.write(crosscheck.dumps([inst.id, resource]) + "\n")

            runs = [("precise", False)] + ([("native", True)] if native_left > 0 else [])
            for mode, native in runs:
                scores_file = workdir / f"scores-{mode}.jsonl"
                js.ask({"input": str(chunk_file), "output": str(scores_file), "native": native})
                counts = mismatches[mode]
                limit = size if mode == "precise" else min(size, native_left)
                with scores_file.open() as theirs_file:
                    for n, (mine, line) in enumerate(zip(koers_results, theirs_file, strict=True)):
                        if n >= limit:
                            break
                        theirs = json.loads(line)
                        key = "js" if mode == "precise" else "js_native"
                        if isinstance(theirs, dict):
                            counts["errors"] += 1
                            timings[key].append(theirs["ns"])
                            continue
                        js_scores, js_flags, ns = theirs
                        timings[key].append(ns)
                        values, flags, engine_scores, engine_flags = mine
                        if not same_scores(values, js_scores):
                            counts["scores"] += 1
                            if len(examples) < 10:
                                examples.append({"mode": mode, "koers": values, "fhirpath.js": js_scores})
                        counts["flags"] += flags != sorted(js_flags)
                        if mode == "precise":
                            counts["engine"] += any(
                                not crosscheck.same(list(engine_scores[k]), js_scores[k]) for k in engine_scores
                            ) or engine_flags != sorted(js_flags)
                if mode == "native":
                    native_left -= limit
            done += size
            elapsed = time.perf_counter() - started
            print(f"  {done:,} responses, {elapsed:.0f} s, mismatches {mismatches}", flush=True)
    finally:
        js.close()
        shutil.rmtree(workdir, ignore_errors=True)

    report = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "node": js.info["node"],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "fhirpath_js": js.info["fhirpath"],
        "responses": args.responses,
        "chunk": args.chunk,
        "seed": args.seed,
        "per_instrument": per_instrument,
        "not_scorable": not_scorable,
        "koers_end_to_end": summary("Koers scoring.score(), end to end", timings["end_to_end"]),
        "koers_engine": summary("Koers FHIRPath engine, expressions only", timings["engine"]),
        "fhirpath_js_precise": summary(f"fhirpath.js {js.info['fhirpath']} (preciseMath)", timings["js"]),
        "fhirpath_js_native": summary(f"fhirpath.js {js.info['fhirpath']} (JS numbers)", timings["js_native"])
        if timings["js_native"]
        else None,
        "mismatches": mismatches,
        "mismatch_examples": examples,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    fhirpath_rate = report["fhirpath_js_precise"]["per_second"]
    report["koers_at_least_as_fast"] = {
        "end_to_end": report["koers_end_to_end"]["per_second"] >= fhirpath_rate,
        "engine": report["koers_engine"]["per_second"] >= fhirpath_rate,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench_scoring-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    for key in ("koers_end_to_end", "koers_engine", "fhirpath_js_precise", "fhirpath_js_native"):
        print(json.dumps(report[key]))
    print("mismatches:", json.dumps(mismatches), "| at least as fast:", json.dumps(report["koers_at_least_as_fast"]))
    print(f"-> {out}", flush=True)
    precise = mismatches["precise"]
    return 1 if precise["scores"] or precise["flags"] or precise["errors"] or precise["engine"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
