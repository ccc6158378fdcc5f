"""The researchers' commands (``koers gas|score|change|analyse``) are pure computations: run as
an installed ``koers`` in a clean environment — no secret key, no database, no
DJANGO_SETTINGS_MODULE, a directory without Koers in it — they compute, and a command that
cannot run says so in one line on stderr with a non-zero exit, never with a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KOERS = Path(sys.executable).parent / "koers"
ANALYSE_ROWS = "tijd;stemming;slaap\n" + "".join(
    f"{day:02d}-03-2026 09:00;{4 + day % 3};{6 + day % 2}\n" for day in range(1, 29)
)


def koers(tmp_path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``koers ARGS`` with nothing of a deployment: only PATH and a scratch HOME."""
    command = [str(KOERS)] if KOERS.exists() else [sys.executable, "-m", "koers.cli"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    return subprocess.run(
        [*command, *args], cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def assert_one_line_failure(result, name: str):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"koers {name}: ")
    assert result.stdout == ""


def test_the_environment_really_is_empty(tmp_path):
    # Without the researchers' path, a deployment command refuses: no secret key. (Keeps the
    # other tests honest: they pass because the commands need no settings, not by accident.)
    result = koers(tmp_path, "check")
    assert result.returncode != 0
    assert "KOERS_SECRET_KEY" in result.stderr
    assert not (tmp_path / "var").exists()


def test_gas_computes(tmp_path):
    result = koers(tmp_path, "gas", "--levels=-1,0,2", "--weights=1,1,2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "GAS T-score: 60.0"
    assert json.loads(koers(tmp_path, "gas", "--levels=2", "--format=json").stdout)["t_score"] == pytest.approx(70.0)


def test_score_computes_from_a_file(tmp_path):
    items = ",".join(str(i) for i in range(1, 10))
    (tmp_path / "antwoorden.csv").write_text(f"id,{items}\nA,{','.join(['1'] * 9)}\n", encoding="utf-8")
    result = koers(tmp_path, "score", "--instrument", "phq-9", "antwoorden.csv", "--answers", "value")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("A,2,9,")


def test_change_computes_in_both_languages(tmp_path):
    dutch = koers(tmp_path, "change", "--instrument", "phq-9", "--before", "20", "--after", "5")
    assert dutch.returncode == 0, dutch.stderr
    assert "Betrouwbare verandering: ja" in dutch.stdout
    english = koers(tmp_path, "change", "--instrument", "phq-9", "--before", "20", "--after", "5", "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert "Reliable change: yes" in english.stdout


def test_analyse_computes_from_standard_input(tmp_path):
    result = koers(tmp_path, "analyse", "-", "--format", "json", "--only", "describe", stdin=ANALYSE_ROWS)
    assert result.returncode == 0, result.stderr
    names = {variable["name"] for variable in json.loads(result.stdout)["variables"]}
    assert names == {"stemming", "slaap"}


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("gas", [], "--levels"),  # a required option missing
        ("gas", ["--levels=x"], "'x' is not a number"),
        ("gas", ["--levels=1", "--format=xml"], "invalid choice"),
        ("score", ["--instrument", "phq-9", "missing.csv"], "missing.csv"),
        ("score", ["--instrument", "nope", "-"], "nope"),
        ("change", ["--instrument", "phq-9", "--before", "twintig", "--after", "5"], "twintig"),
        ("change", ["--instrument", "phq-9"], "--before"),
        ("analyse", ["missing.csv"], "missing.csv"),
        ("analyse", ["-"], "leeg"),
        ("analyse", ["-", "--per-day", "veel"], "--per-day"),
        ("analyse", ["bad.csv"], "Regel 2"),
        ("analyse", ["binary.csv"], "binaire"),
        ("analyse", ["a-directory"], "a-directory"),
    ],
)
def test_a_command_that_cannot_run_says_so_in_one_line(tmp_path, name, args, expected):
    (tmp_path / "bad.csv").write_text("tijd;stemming\ngisteren;5\n", encoding="utf-8")
    (tmp_path / "binary.csv").write_bytes(b"tijd;stemming\n\x00\x01\x02")
    (tmp_path / "a-directory").mkdir()
    result = koers(tmp_path, name, *args, stdin="")
    assert_one_line_failure(result, name)
    assert expected in result.stderr


def test_writing_where_it_cannot_says_so_and_leaves_nothing(tmp_path):
    items = ",".join(str(i) for i in range(1, 10))
    (tmp_path / "in.csv").write_text(f"{items}\n{','.join(['1'] * 9)}\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = koers(tmp_path, "score", "--instrument", "phq-9", "in.csv", "--answers", "value", "--output", "out")
    assert_one_line_failure(result, "score")
    assert list((tmp_path / "out").iterdir()) == []


def test_help_still_works(tmp_path):
    result = koers(tmp_path, "analyse", "--help")
    assert result.returncode == 0
    assert "FILE.csv" in result.stdout


def test_a_reader_that_stops_early_is_no_error_worth_a_traceback(tmp_path):
    command = [str(KOERS)] if KOERS.exists() else [sys.executable, "-m", "koers.cli"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    producer = subprocess.Popen(
        [*command, "analyse", "-"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    producer.stdout.close()  # the reader is gone before the report is written
    _out, err = producer.communicate(ANALYSE_ROWS.encode(), timeout=120)
    assert b"Traceback" not in err
