"""What this process runs, as one digest: for HTML kept in the database (``careplans.kept_page``).

HTML rendered by one release must not be shown by another: a template, a label, a translation or
the code that formats a date may have changed. ``digest()`` is a sha256 over every source file,
template and compiled message catalogue of the ``koers`` package (not its tests) and the versions
of Koers and Django, read once per process (~0.1 s). Kept HTML carries it in its own digest, so
after a release every kept page is simply not found and is rendered again.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import django

import koers

_KINDS = frozenset({".py", ".html", ".txt", ".mo", ".json"})


@functools.cache
def digest() -> str:
    root = Path(koers.__file__).resolve().parent
    found = hashlib.sha256(f"koers {koers.__version__} django {django.get_version()}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in _KINDS and "tests" not in path.relative_to(root).parts and path.is_file():
            found.update(str(path.relative_to(root)).encode() + b"\0")
            found.update(path.read_bytes())
    return found.hexdigest()
