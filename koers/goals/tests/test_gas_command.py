"""``koers gas``: the T-score on the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("gas", *args, stdout=out)
    return out.getvalue().strip()


def test_text_output():
    assert run("--levels=-1,0,2", "--weights=1,1,2") == "GAS T-score: 60.0"


def test_default_weights_and_rho():
    assert run("--levels=2") == "GAS T-score: 70.0"


def test_json_output():
    payload = json.loads(run("--levels=-1,0,2", "--weights=1,1,2", "--rho", "0.3", "--format", "json"))
    assert payload["t_score"] == pytest.approx(60.0)
    assert payload["levels"] == [-1, 0, 2]
    assert payload["weights"] == [1, 1, 2]
    assert payload["rho"] == 0.3


def test_json_without_weights_lists_the_default_weights():
    payload = json.loads(run("--levels=0,1", "--format=json"))
    assert payload["weights"] == [1, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--levels=a,1"], "'a' is not a number"),
        (["--levels=1.5"], "not a number"),
        (["--levels=3"], r"from -2 to \+2"),
        (["--levels="], "empty"),
        (["--levels=1,,2"], "empty"),
        (["--levels=1,2", "--weights=1"], "2 levels but 1 weights"),
        (["--levels=1", "--weights=0"], "greater than 0"),
        (["--levels=1", "--weights=x"], "not a number"),
        (["--levels=1", "--rho=abc"], "--rho"),
        (["--levels=1", "--rho=1"], "rho"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_bad_input_exits_non_zero(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["koers", "gas", "--levels=9"]).execute()
    assert exit_info.value.code != 0
    assert "from -2 to +2" in capsys.readouterr().err
