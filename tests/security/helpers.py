"""Helpers for the security tests.

Settings are read once per process, so anything about the *production* settings (Argon2,
``check --deploy``, failing loudly on bad values) runs ``koers.settings`` in a fresh Python
process with a clean environment: none of the test-run's variables leak in.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django_otp.oath import totp

ROOT = Path(__file__).resolve().parents[2]


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """A minimal environment: only what Python needs, plus ``values``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "KOERS_DATA_DIR": str(tmp_path / "data"),
    }
    env.update(values)
    return env


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """What an operator sets in production (see docs): everything else keeps its default."""
    values = {
        "DJANGO_SETTINGS_MODULE": "koers.settings",
        "KOERS_SECRET_KEY": secrets.token_urlsafe(50),
        "KOERS_ALLOWED_HOSTS": "koers.example.nl",
        "KOERS_CSRF_TRUSTED_ORIGINS": "https://koers.example.nl",
        "KOERS_SSL_REDIRECT": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    values.update(overrides)
    return clean_env(tmp_path, **values)


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def run_koers(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings
names = {names!r}
print("JSON:" + json.dumps({{n: getattr(settings, n) for n in names}}, default=str))
"""


def read_settings(env: dict[str, str], *names: str) -> dict:
    """The given settings as a fresh process with ``env`` sees them."""
    result = run_python(SETTINGS_PROBE.format(names=list(names)), env)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("JSON:"))
    return json.loads(line.removeprefix("JSON:"))


def current_code(device) -> str:
    """The code an authenticator app shows now for this device (django_otp's own TOTP)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(value).zfill(device.digits)


def code_for_step(device, offset: int) -> str:
    """The code of another time step (``offset`` steps away from now)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset)
    return str(value).zfill(device.digits)
