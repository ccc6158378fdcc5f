"""``koers analyse FILE.csv``: the report from a file; bad input named per row on stderr, exit
code 2, nothing analysed, no traceback."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from koers.monitoring.management.commands.analyse import Command, parse_number, parse_phase


def diary_csv(days: int = 90, delimiter: str = ";", decimal: str = ",") -> str:
    rng = np.random.default_rng(0)
    lines = [delimiter.join(["Tijdstip", "Stemming", "Slaap"])]
    previous_sleep = 7.0
    for day in range(days):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        sleep = rng.normal(7, 1)
        for prompt, hour in enumerate((9, 13, 18)):
            mood = 5 + 0.8 * (previous_sleep - 7) + rng.normal(0, 0.6)
            cells = [f"{date:%d-%m-%Y} {hour}:00", f"{mood:.1f}".replace(".", decimal)]
            cells.append(f"{sleep:.2f}".replace(".", decimal) if prompt == 0 else "")
            lines.append(delimiter.join(cells))
        previous_sleep = sleep
    return "\n".join(lines) + "\n"


def run(tmp_path, text: str | bytes, *args):
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    out = io.StringIO()
    call_command("analyse", str(path), *args, stdout=out)
    return out.getvalue()


def test_text_report_from_a_dutch_file(tmp_path):
    out = run(tmp_path, diary_csv(), "--phase", "2026-02-15:Start medicatie", "--per-day", "3")
    assert out.startswith("Analyse van 2 onderwerpen, van 2026-01-01 tot en met 2026-03-31. Tijd in Europe/Amsterdam.")
    assert "Start medicatie" in out and "Stemming\n========" in out and "Samenhang van dag tot dag" in out
    assert "* Slaap → Stemming" in out
    assert "270 geplande momenten" in out  # 90 days × 3 prompts


def test_json_report_with_comma_delimiter_and_iso_times(tmp_path):
    text = diary_csv(60, delimiter=",", decimal=".")
    data = json.loads(run(tmp_path, text, "--format", "json", "--only", "trend,lagged"))
    assert [v["name"] for v in data["variables"]] == ["Stemming", "Slaap"]
    assert data["sections"] == ["trend", "lagged"]
    assert data["variables"][0]["sections"][0]["key"] == "trend"
    assert data["lagged"]["numbers"]["n_used"] == {"Stemming": 59, "Slaap": 59}


def test_the_same_report_as_analyse(tmp_path):
    from koers.monitoring.analysis.report import analyse
    from koers.monitoring.management.commands.analyse import read_table

    text = diary_csv(40)
    _names, series = read_table(text, "Europe/Amsterdam")
    expected = analyse(series).as_dict()
    assert json.loads(run(tmp_path, text, "--format", "json")) == json.loads(json.dumps(expected))


def test_empty_cells_are_missing_and_a_utf8_bom_is_fine(tmp_path):
    text = "\ufeffdatum;stemming\n" + "".join(
        f"{day:02d}-01-2026;{'' if day % 5 == 0 else day % 7}\n" for day in range(1, 32)
    )
    data = json.loads(run(tmp_path, text, "--format", "json", "--only", "describe"))
    assert data["variables"][0]["sections"][0]["numbers"]["n"] == 25


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        (["01-03-2026 08:00;5", "gisteren;6"], ["Regel 3: ‘gisteren’ is geen datum en tijd"]),
        (["01-03-2026 08:00;5", "01-03-2026 08:00;6"], ["Regel 3: dit tijdstip staat ook al op regel 2."]),
        (["01-03-2026 08:00;vijf"], ["Regel 2, kolom 'stemming': ‘vijf’ is geen getal."]),
        (["01-03-2026 08:00;5;6"], ["Regel 2: 3 kolommen, maar de kopregel heeft er 2."]),
        (["29-03-2026 02:30;5"], ["Regel 2: ‘29-03-2026 02:30’ bestaat niet"]),
        (["01-03-2026 08:00;nan", "02-03-2026 08:00;1e999x"], ["Regel 2, kolom", "Regel 3, kolom"]),
    ],
)
def test_bad_rows_are_all_named_and_nothing_is_analysed(tmp_path, rows, messages):
    text = "tijd;stemming\n" + "\n".join(rows) + "\n"
    with pytest.raises(CommandError) as caught:
        run(tmp_path, text)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert message.startswith("Niets geanalyseerd.")
    for expected in messages:
        assert expected in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Het bestand is leeg."),
        (b"tijd;stemming\n", "geen rijen met gegevens"),
        (b"tijd\n01-03-2026;5\n", "geen kolommen met waarden"),
        (b"tijd;a;a\n", "staat twee keer in de kopregel"),
        (b"tijd;;b\n", "Kolom 2 heeft geen naam"),
        (b"\x00\x01PK", "binaire gegevens"),
    ],
)
def test_bad_files(tmp_path, content, expected):
    with pytest.raises(CommandError) as caught:
        run(tmp_path, content)
    assert caught.value.returncode == 2 and expected in str(caught.value)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--phase", "2026-03-01"], "DATUM:OMSCHRIJVING"),
        (["--phase", "31-02-2026:Nieuw"], "is geen datum"),
        (["--tz", "Mars/Olympus"], "geen bekende tijdzone"),
        (["--per-day", "0"], "--per-day"),
        (["--only", "trend,horoscope"], "Onbekend onderdeel: horoscope"),
    ],
)
def test_bad_options(tmp_path, args, expected):
    with pytest.raises(CommandError) as caught:
        run(tmp_path, diary_csv(10), *args)
    assert caught.value.returncode == 2 and expected in str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("analyse", str(tmp_path / "nope.csv"))
    assert caught.value.returncode == 2 and "Kan " in str(caught.value)


def test_exit_code_two_and_no_traceback_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("tijd;stemming\ngisteren;5\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["koers", "analyse", str(path), "--skip-checks"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "Regel 2:" in captured.err and "Traceback" not in captured.err and captured.out == ""


def test_cp1252_file_is_read(tmp_path):
    text = "tijd;stemming café\n" + "".join(f"{day:02d}-01-2026;{day % 4}\n" for day in range(1, 20))
    data = json.loads(run(tmp_path, text.encode("cp1252"), "--format", "json", "--only", "describe"))
    assert data["variables"][0]["name"] == "stemming café"


def test_numbers_and_phases_as_people_write_them():
    assert parse_number(" 6,5 ") == 6.5 and parse_number("-.5") == -0.5 and parse_number("") is None
    assert parse_number("1e3") == 1000.0
    for bad in ("5,5,5", "nan", "inf", "5 kg", "1.000,5"):
        with pytest.raises(ValueError):
            parse_number(bad)
    assert parse_phase("01-03-2026: Start medicatie") == (dt.date(2026, 3, 1), "Start medicatie")
    assert parse_phase("2026-03-01:Dosis: 20 mg") == (dt.date(2026, 3, 1), "Dosis: 20 mg")


def test_standard_input(monkeypatch):
    data = diary_csv(30).encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    out = io.StringIO()
    call_command("analyse", "-", "--only", "describe", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["variables"][0]["sections"][0]["numbers"]["n"] == 90


def test_one_subject_is_named_as_one(tmp_path):
    lines = ["Tijdstip;Stemming"] + [f"{day:02d}-01-2026 09:00;{5 + day % 3}" for day in range(1, 31)]
    out = run(tmp_path, "\n".join(lines) + "\n")
    assert out.startswith("Analyse van 1 onderwerp, van 2026-01-01 tot en met 2026-01-30. Tijd in Europe/Amsterdam.")
