"""``koers score`` and ``koers change``: the happy paths and every kind of bad input — a clear
message naming line and column, a non-zero exit, and nothing written."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from koers.questionnaires.tests.own_questionnaire import item, option, own_questionnaire

PHQ_CSV = "id,1,2,3,4,5,6,7,8,9,10\nA,3,3,2,2,3,2,2,1,0,1\nB,1,1,1,1,0,0,,1,1,\n"


def run(*args, stdin: str | bytes | None = None):
    out = io.StringIO()
    if stdin is not None:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        real = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = real
    else:
        call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def csv_file(tmp_path):
    def write(content: str | bytes, name="responses.csv"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return write


# --- koers score: happy paths ------------------------------------------------------------------


def test_score_csv(csv_file):
    output = run("score", "--instrument", "phq-9", csv_file(PHQ_CSV))
    assert output.splitlines() == [
        "id,line,total,band,band_label,missing,flags",
        "A,2,18,moderately_severe,vrij ernstige klachten,0,",
        "B,3,7,mild,lichte klachten,1,phq9_item9",  # sum 6 over 8 items x 9 / 8 = 6.75 -> 7
    ]


def test_score_json(csv_file):
    payload = json.loads(run("score", "--instrument", "phq-9", csv_file(PHQ_CSV), "--format", "json"))
    assert payload["instrument"] == "phq-9"
    first, second = payload["rows"]
    assert first == {
        "line": 2,
        "id": "A",
        "total": 18,
        "subscales": {},
        "band": {"code": "moderately_severe", "label": "vrij ernstige klachten"},
        "missing": 0,
        "scorable": True,
        "flags": [],
    }
    assert second["flags"] == ["phq9_item9"] and second["missing"] == 1


def test_score_subscales_semicolons_bom_and_no_id_column(csv_file):
    content = "\ufeff1;2;3;4;5;6;7;8;9;10;11\n5;5;5;5;4;4;4;5;na;3;6\n"
    output = run("score", "--instrument", "dialog", csv_file(content.encode("utf-8")))
    assert output.splitlines() == ["line;life;treatment;band;band_label;missing;flags", "2;4.63;4.5;;;1;"]


def test_score_reads_standard_input_and_skips_blank_lines():
    output = run("score", "--instrument", "gad-7", "-", stdin="1,2,3,4,5,6,7\n0,0,0,0,0,0,0\n\n3,3,3,3,3,3,3\n")
    assert output.splitlines()[1:] == ["2,0,minimal,geen of weinig klachten,0,", "4,21,severe,ernstige klachten,0,"]


def test_score_writes_an_output_file_atomically(csv_file, tmp_path):
    target = tmp_path / "scores.csv"
    assert run("score", "--instrument", "phq-9", csv_file(PHQ_CSV), "--output", str(target)) == ""
    assert target.read_text().startswith("id,line,total")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_score_with_an_own_questionnaire_file(csv_file, tmp_path):
    path = tmp_path / "own.json"
    path.write_text(json.dumps(own_questionnaire()))
    # item b is reversed (code 0 scores 3), so a bare number could be a code or a score: say which
    output = run("score", "--questionnaire", str(path), csv_file("a,b,c,note\n3,0,2,goed\n"), "--answers", "code")
    assert output.splitlines() == ["line,total,band,band_label,missing,flags", "2,8,high,high,0,"]


def test_score_in_english(csv_file):
    output = run("score", "--instrument", "phq-9", csv_file(PHQ_CSV), "--lang", "en")
    assert "moderately severe" in output.splitlines()[1]


# --- koers score: bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,1,2,3,4,5,6,7,8,9\nA,1,1,1,1,1,1,1,1,4\n", "Regel 2, kolom '9': Vraag 9: '4' is geen antwoord"),
        ("id,1,2,3,4,5,6,7,8,9\nA,1,1,1,1,1,1,1,1,x\n", "Regel 2, kolom '9'.*'x' is geen antwoord"),
        ("id,1,2,3,4,5,6,7,8,9,11\nA,1,1,1,1,1,1,1,1,1,1\n", "Kolom '11': vragenlijst phq-9 heeft geen vraag"),
        ("id,1,2,3,4,5,6,7,8,9,total\nA,1,1,1,1,1,1,1,1,1,9\n", "Kolom 'total' is een berekende score"),
        ("id,1,1\nA,1,1\n", "Kolom '1' staat twee keer"),
        ("id,,2\nA,1,1\n", "Kolom 2 heeft geen naam"),
        ("id\nA\n", "geen enkele vraag"),
        ("id,1,2,3,4,5,6,7,8,9\nA,1,1,1,1,1,1,1\n", "Regel 2: 8 kolommen, maar de kopregel heeft er 10"),
        ("id,1,2,3,4,5,6,7,8,9\nA,1,1,1,1,1,1,1,,\n", "Regel 2: 2 van de 9 vragen.*hoogstens 1"),
        ('id,1,2\nA,"1,1\n', "Regel 2.*CSV-bestand klopt niet"),
        ("1,2,3,4,5,6,7,8,9\n", "geen antwoorden"),
        ("", "leeg"),
        ("  \n", "leeg"),
    ],
)
def test_bad_files_are_refused_with_line_and_column(csv_file, content, message):
    out = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("score", "--instrument", "phq-9", csv_file(content), stdout=out)
    assert out.getvalue() == ""


def test_every_bad_row_is_reported_and_nothing_is_written(csv_file, tmp_path):
    target = tmp_path / "scores.csv"
    target.write_text("old content")
    content = (
        "id,1,2,3,4,5,6,7,8,9\nA,1,1,1,1,1,1,1,1,1\nB,1,1,1,1,1,1,1,1,9\nC,1,1,1,1,1,1,1,1,1\nD,-1,1,1,1,1,1,1,1,1\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("score", "--instrument", "phq-9", csv_file(content), "--output", str(target), stdout=out)
    message = str(error.value)
    assert "Regel 3, kolom '9'" in message and "Regel 5, kolom '1'" in message
    assert "Regel 2" not in message and "Regel 4" not in message
    assert out.getvalue() == "" and target.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "responses.csv") == ["scores.csv"]


def test_unknown_instrument(csv_file):
    with pytest.raises(CommandError, match="Er is geen vragenlijst 'phq-10'. Bekend zijn: .*phq-9"):
        run("score", "--instrument", "phq-10", csv_file(PHQ_CSV))


def test_noncommercial_instrument_is_refused_unless_allowed(csv_file, settings):
    settings.KOERS_NONCOMMERCIAL_INSTRUMENTS = False
    with pytest.raises(CommandError, match="niet-commercieel"):
        run("score", "--instrument", "who-5", csv_file("1,2,3,4,5\n3,3,3,3,3\n"))
    settings.KOERS_NONCOMMERCIAL_INSTRUMENTS = True
    assert run("score", "--instrument", "who-5", csv_file("1,2,3,4,5\n3,3,3,3,3\n")).splitlines()[1].startswith("2,60,")


def test_not_utf8_and_binary(csv_file):
    with pytest.raises(CommandError, match="geen UTF-8"):
        run("score", "--instrument", "phq-9", csv_file("1\n\xe9\n".encode("latin-1")))
    with pytest.raises(CommandError, match="binaire"):
        run("score", "--instrument", "phq-9", csv_file(b"1\n\x00\x01\n"))


def test_missing_file_and_missing_output_dir(csv_file, tmp_path):
    with pytest.raises(CommandError, match="Kan .* niet lezen"):
        run("score", "--instrument", "phq-9", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="bestaat niet"):
        run("score", "--instrument", "phq-9", csv_file(PHQ_CSV), "--output", str(tmp_path / "no" / "x.csv"))


def test_a_broken_own_questionnaire_is_refused(csv_file, tmp_path):
    resource = own_questionnaire()
    item(resource, "a")["answerOption"] = [option("1", 1), option("1", 2)]
    path = tmp_path / "own.json"
    path.write_text(json.dumps(resource))
    with pytest.raises(CommandError, match="Vraag 'a'.*twee keer"):
        run("score", "--questionnaire", str(path), csv_file("a\n1\n"))


def test_ambiguous_codes_need_to_be_told_what_the_file_holds(csv_file, tmp_path):
    resource = own_questionnaire()
    item(resource, "a")["answerOption"] = [option(str(v + 1), v) for v in range(4)]  # codes 1-4 score 0-3
    path = tmp_path / "own.json"
    path.write_text(json.dumps(resource))
    file = csv_file("a,b,c\n1,3,0\n")
    with pytest.raises(CommandError, match="--answers code of --answers value"):
        run("score", "--questionnaire", str(path), file)
    assert run("score", "--questionnaire", str(path), file, "--answers", "code").splitlines()[1].startswith("2,0,")
    assert run("score", "--questionnaire", str(path), file, "--answers", "value").splitlines()[1].startswith("2,4,")


def test_bad_input_exits_non_zero_on_the_command_line(csv_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["koers", "score", "--instrument", "phq-9", csv_file("1\n5\n")]).execute()
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert "Regel 2, kolom '1'" in captured.err and captured.out == ""


# --- koers change ------------------------------------------------------------------------------


def test_change_text():
    output = run("change", "--instrument", "phq-9", "--before", "18", "--after", "9")
    assert "RCI: -2,95" in output
    assert "Betrouwbare verandering: ja (betrouwbaar verbeterd)" in output
    assert "Afkappunt: 10 (gepubliceerd afkappunt)" in output
    assert "Klinisch significant: ja; hersteld: ja" in output
    assert "Uw score ging van 18 naar 9. Dat is een echte verbetering, meer dan toeval." in output


def test_change_json_with_overrides():
    payload = json.loads(
        run(
            "change", "--instrument", "phq-9", "--before", "18", "--after", "9",
            "--format", "json", "--sd", "5", "--reliability", "0,8",
        )
    )  # fmt: skip
    assert (payload["sd"], payload["reliability"], payload["provisional"]) == (5, 0.8, False)
    assert payload["rci"] == pytest.approx(-9 / (5 * (2 * 0.2) ** 0.5), abs=1e-6)
    assert payload["direction"] == "improved" and payload["cutoff"] == 10 and payload["cutoff_kind"] == "published"
    assert payload["clinically_significant"] is True and payload["explanation"].startswith("Uw score ging van 18")


def test_change_subscale_and_decimals():
    payload = json.loads(
        run("change", "--instrument", "dialog", "--score", "treatment", "--before", "3", "--after", "5,5",
            "--format", "json")
    )  # fmt: skip
    assert payload["score"] == "treatment" and payload["after"] == 5.5 and payload["cutoff"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instrument", "nope", "--before", "1", "--after", "2"], "geen vragenlijst 'nope'"),
        (["--instrument", "phq-9", "--before", "x", "--after", "2"], "--before: 'x' is geen getal"),
        (["--instrument", "phq-9", "--before", "1", "--after", "28"], "--after: 28 ligt buiten de scores"),
        (["--instrument", "k10", "--before", "5", "--after", "20"], "--before: 5 ligt buiten"),
        (["--instrument", "phq-9", "--before", "1", "--after", "2", "--sd", "0"], "--sd moet groter dan 0"),
        (["--instrument", "phq-9", "--before", "1", "--after", "2", "--reliability", "1"], "--reliability moet"),
        (["--instrument", "phq-9", "--before", "1", "--after", "2", "--sd", "abc"], "--sd: 'abc' is geen getal"),
        (["--instrument", "koers-prem", "--before", "10", "--after", "20"], "geen normen.*--sd en --reliability"),
        (["--instrument", "dialog", "--score", "x", "--before", "1", "--after", "2"], "geen score 'x'.*life"),
    ],
)
def test_change_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("change", *args)


def test_change_bad_input_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["koers", "change", "--instrument", "phq-9", "--before", "30", "--after", "2"]).execute()
    assert exit_info.value.code != 0
    assert "ligt buiten" in capsys.readouterr().err


def test_commands_speak_english_when_asked(csv_file):
    output = run("change", "--instrument", "phq-9", "--before", "18", "--after", "9", "--lang", "en")
    assert "Reliable change: yes (reliably improved)" in output
    assert "Your score went from 18 to 9. That is a real improvement, more than chance." in output
    with pytest.raises(CommandError, match=r"Nothing written\. Line 2, column '1': Question 1: '5' is not an answer"):
        run("score", "--instrument", "phq-9", csv_file("1\n5\n"), "--lang", "en")
