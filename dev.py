#!/usr/bin/env python3
"""Koers developer entry point. Needs only Python 3.11+ and the usual OS tools.

    python3 dev.py demo    set up, load demo data, serve on http://127.0.0.1:8000
    python3 dev.py test    install what the tests need and run the whole suite
                           (SQLite; and the database in DATABASE_URL when it is set)

Everything is installed into .venv beside this file (and fhirpath.js, for the FHIRPath
cross-check, into tools/fhirpath-js/node_modules with npm); nothing global changes except
Debian's chromium (browser tests) and nodejs + npm (fhirpath.js), when missing and we are root.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args, env=None, check=True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_venv(extras: str = "") -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may run on an older Python
        sys.exit("Koers needs Python 3.11 or newer.")
    if not PY.exists():
        say("Creating a virtual environment in .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras or '-base'}"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < pyproject.stat().st_mtime:
        say("Installing Koers" + (f" with [{extras}]" if extras else ""))
        run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--upgrade", "pip")
        target = f".[{extras}]" if extras else "."
        run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
        stamp.touch()


def koers_env(**extra) -> dict:
    env = dict(os.environ)
    env.update(extra)
    return env


def demo() -> None:
    ensure_venv()
    env = koers_env(KOERS_DEBUG="true", DATABASE_URL=os.environ.get("DATABASE_URL", ""))
    if not env["DATABASE_URL"]:
        env.pop("DATABASE_URL")
    koers = BIN / "koers"
    say("Preparing the database")
    run(koers, "migrate", "--no-input", "-v", "0", env=env)
    say("Loading demo data")
    run(koers, "demo", env=env)
    # Background work (imports, reminders, diary prompts) runs beside the web server, as in
    # production (docs/running.md): one task worker and the scheduler that queues the sweeps.
    say("Starting the background worker and scheduler")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop them too when we are stopped
    background = [
        subprocess.Popen([str(koers), "worker"], env=env),
        subprocess.Popen([str(koers), "scheduler"], env=env),
    ]
    say("Koers runs at http://127.0.0.1:8000  (stop with Ctrl+C)")
    try:
        run(koers, "runserver", "127.0.0.1:8000", "--noreload", env=env, check=False)
    finally:
        for process in background:
            process.terminate()
        for process in background:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def ensure_debian_packages(packages: list[str], needed_for: str, present: bool) -> None:
    """Install Debian packages the tests need when they are missing and we may (root + apt)."""
    if present:
        return
    names = " ".join(packages)
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"{needed_for} need Debian's {names}. Install with 'sudo apt-get install {names}' and run this again.")
    say(f"Installing {names} for {needed_for.lower()} (Debian packages)")
    env = koers_env(DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def ensure_chromium() -> None:
    present = bool(shutil.which("chromium")) or Path("/usr/bin/chromium").exists()
    ensure_debian_packages(["chromium"], "The browser tests", present)


def ensure_fhirpath_js() -> None:
    """fhirpath.js for the FHIRPath cross-check tests: `npm ci` in tools/fhirpath-js when
    node_modules is missing or package-lock.json changed."""
    tool = ROOT / "tools" / "fhirpath-js"
    stamp = tool / "node_modules" / ".koers-installed"
    digest = hashlib.sha256((tool / "package-lock.json").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    has_node = bool(shutil.which("npm") and shutil.which("node"))
    ensure_debian_packages(["nodejs", "npm"], "The FHIRPath cross-check tests (fhirpath.js)", has_node)
    npm = shutil.which("npm")
    say("Installing fhirpath.js for the FHIRPath cross-check (npm ci in tools/fhirpath-js)")
    code = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=tool).returncode
    if code != 0:
        sys.exit(code)
    stamp.write_text(digest)


def test(pytest_args: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    ensure_fhirpath_js()
    env = koers_env()
    env.pop("KOERS_DEBUG", None)
    say("Lint (ruff)")
    run(BIN / "ruff", "check", "--quiet", ".", env=env)
    say("Security lint (Bandit on the koers package; [tool.bandit] in pyproject.toml)")
    run(BIN / "bandit", "-c", "pyproject.toml", "-r", "koers", "--quiet", env=env)
    say("Layers (import-linter contracts in .importlinter)")
    run(BIN / "lint-imports", "--no-cache", env=env)
    say("Migrations are complete")
    run(
        PY,
        "-m",
        "koers.cli",
        "makemigrations",
        "--check",
        "--dry-run",
        "-v",
        "0",
        env=koers_env(DJANGO_SETTINGS_MODULE="koers.test_settings"),
    )
    database = env.get("DATABASE_URL", "")
    label = database.split("@")[-1] if database else "SQLite (embedded)"
    say(f"Test suite on {label}")
    workers = os.environ.get("KOERS_TEST_WORKERS", "2")
    args = ["-n", workers] if workers not in ("0", "1") else []
    code = run(PY, "-m", "pytest", *args, *pytest_args, env=env, check=False)
    sys.exit(code)


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command == "demo":
        demo()
    elif command == "test":
        test(sys.argv[2:])
    else:
        print(__doc__)
        sys.exit(0 if command in ("help", "-h", "--help") else 2)


if __name__ == "__main__":
    main()
