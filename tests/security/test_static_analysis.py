"""Bandit gates CI (``python3 dev.py test``); an exception to it is written on the line it excuses.

A bare ``# nosec`` silences every Bandit test on its line, and one without a reason leaves the
next reader guessing: each must name the test it silences and say why, as
``# nosec B105  # an event name, not a password``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from .helpers import ROOT

NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
JUSTIFIED = re.compile(r"^:?\s*B\d{3}(?:\s*,\s*B\d{3})*\s+#\s*\S.{5,}$")


def test_every_nosec_names_its_test_and_a_reason():
    unjustified = []
    for path in sorted((ROOT / "koers").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            found = NOSEC.search(line)
            if found and not JUSTIFIED.match(found.group("rest").strip()):
                unjustified.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not unjustified, "write '# nosec BXXX  # reason':\n" + "\n".join(unjustified)


def test_dev_test_runs_bandit_on_the_package_with_the_project_configuration():
    source = (ROOT / "dev.py").read_text()
    assert '"bandit", "-c", "pyproject.toml", "-r", "koers"' in source
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "skips" not in config["tool"]["bandit"]  # no test is switched off for the whole code base
    assert any(spec.startswith("bandit") for spec in config["project"]["optional-dependencies"]["test"])


def test_bandit_finds_nothing_unjustified_today():
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "koers", "--quiet", "--format", "txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_bandit_would_fail_on_a_new_finding(tmp_path):
    """The gate is real: the same configuration fails on code with an unjustified finding."""
    sample = tmp_path / "koers_sample.py"
    sample.write_text("from django.utils.safestring import mark_safe\n\ndef show(name):\n    return mark_safe(name)\n")
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", str(ROOT / "pyproject.toml"), "--quiet", str(sample)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "B308" in result.stdout or "B703" in result.stdout
