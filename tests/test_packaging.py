"""An installed Koers carries every file it reads at run time (templates, static files,
translations, instruments, data), not only its Python modules."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_contains_every_data_file(tmp_path):
    # Build from a clean copy: setuptools reuses ./build, which would hide a missing pattern.
    source = tmp_path / "src"
    shutil.copytree(ROOT / "koers", source / "koers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("koers-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    wanted = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "koers").rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc", ".po~"}
        and "__pycache__" not in path.parts
        and "tests" not in path.parts
    }
    assert wanted, "no data files found: the test looks in the wrong place"
    missing = sorted(wanted - packaged)
    assert not missing, f"not in the wheel (add to [tool.setuptools.package-data]): {missing}"
