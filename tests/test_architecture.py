"""The structure of Koers cannot silently rot (issue #10): four checks on the code as text.

(a) No runtime module over ``MAX_MODULE_LINES`` lines. (b) No function over
``MAX_FUNCTION_LINES`` lines, unless a ``# long:`` comment on or just above its ``def`` (or its
decorators) says why. (c) No import inside a function that reaches another app of Koers,
unless a comment on the import says why it must be there (import-linter sees such imports,
but only a comment says whether they dodge a cycle). (d) ``docs/architecture.md`` draws the
layers of ``.importlinter``.

(a)–(c) are ratchets: each allow-list below names today's offenders, and an entry that is no
longer needed fails too, so the lists only shrink. Fixed one? Delete its line. A new offender
is never added here: split the module or function by meaning, or write the comment.

"Runtime" is everything under ``koers/`` except migrations, tests and locale.
"""

from __future__ import annotations

import ast
import configparser
import re
from collections.abc import Collection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KOERS = ROOT / "koers"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
EXCLUDED_PARTS = {"migrations", "tests", "locale"}


def runtime_modules() -> list[Path]:
    return sorted(path for path in KOERS.rglob("*.py") if not EXCLUDED_PARTS & set(path.relative_to(KOERS).parts[:-1]))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def apps() -> set[str]:
    """The apps of Koers: the packages directly under koers/."""
    return {p.name for p in KOERS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def ratchet(found: set[str], allowed: Collection[str], what: str, fix: str) -> None:
    new = sorted(found - set(allowed))
    stale = sorted(set(allowed) - found)
    assert not new, f"{what}: {new}. {fix}"
    assert not stale, f"No longer {what} (delete these lines from the allow-list, it only shrinks): {stale}"


# --- (a) module size ------------------------------------------------------------------------

# Today's runtime modules over 600 lines (issue #10 splits them by meaning).
LONG_MODULES = {}


def test_no_runtime_module_is_over_600_lines():
    found = set()
    for path in runtime_modules():
        with path.open(encoding="utf-8") as handle:
            if sum(1 for _ in handle) > MAX_MODULE_LINES:
                found.add(rel(path))
    ratchet(found, LONG_MODULES, f"modules over {MAX_MODULE_LINES} lines", "Split it by meaning, not by size.")


# --- (b) function size ----------------------------------------------------------------------

# Today's functions over 60 lines without a "# long:" comment, as "path::qualified name".
LONG_FUNCTIONS: set[str] = set()
LONG_COMMENT = "# long:"


def _says_why_it_is_long(lines: list[str], node) -> bool:
    """A ``# long:`` comment on the def line, on a decorator line or on the line above them."""
    first = min([d.lineno for d in node.decorator_list] + [node.lineno])
    return any(LONG_COMMENT in lines[n - 1] for n in range(max(first - 1, 1), node.lineno + 1))


def long_functions() -> set[str]:
    found = set()
    for path in runtime_modules():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for name, node in functions(ast.parse(source)):
            if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES and not _says_why_it_is_long(lines, node):
                found.add(f"{rel(path)}::{name}")
    return found


def test_no_function_is_over_60_lines_unless_a_comment_says_why():
    ratchet(
        long_functions(),
        LONG_FUNCTIONS,
        f"functions over {MAX_FUNCTION_LINES} lines",
        f"Split it by meaning, or put a '{LONG_COMMENT} <why>' comment above its def.",
    )


def test_a_long_comment_excuses_a_long_function():
    source = "def f():\n" + "    x = 1\n" * 70
    node = next(n for _name, n in functions(ast.parse(source)))
    assert not _says_why_it_is_long(source.splitlines(), node)
    source = f"{LONG_COMMENT} one table, read top to bottom\n@decorator\n" + source
    node = next(n for _name, n in functions(ast.parse(source)))
    assert _says_why_it_is_long(source.splitlines(), node)


# --- (c) function-level imports across apps -------------------------------------------------

# Today's imports inside a function that reach another app, without a comment saying why, as
# "path::function -> imported module". Most dodge a cycle that issue #10 removes.
CROSS_APP_FUNCTION_IMPORTS: set[str] = set()  # empty since #10: every cross-app import is at module level


def _imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: inside the same package
        return []
    if node.module == "koers":  # from koers import access, people
        return [f"koers.{alias.name}" for alias in node.names]
    return [node.module]


def _function_imports(tree: ast.AST, prefix: str = "", inside: str | None = None):
    """(function qualified name, import node) for every import inside a function."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _function_imports(node, f"{prefix}{node.name}.", f"{prefix}{node.name}")
        elif isinstance(node, ast.ClassDef):
            yield from _function_imports(node, f"{prefix}{node.name}.", inside)
        elif isinstance(node, ast.Import | ast.ImportFrom) and inside:
            yield inside, node
        else:
            yield from _function_imports(node, prefix, inside)


def _commented(lines: list[str], node) -> bool:
    """A comment on the import (any of its lines) or on the line just above it."""
    return any("#" in lines[n - 1] for n in range(max(node.lineno - 1, 1), node.end_lineno + 1))


def cross_app_function_imports() -> set[str]:
    known = apps()
    found = set()
    for path in runtime_modules():
        parts = path.relative_to(KOERS).parts
        if len(parts) < 2 or parts[0] not in known:
            continue  # koers/urls.py, koers/cli.py …: the project, not an app
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function, node in _function_imports(ast.parse(source)):
            for module in _imported_modules(node):
                target = module.split(".")
                if target[0] == "koers" and len(target) > 1 and target[1] in known and target[1] != parts[0]:
                    if not _commented(lines, node):
                        found.add(f"{rel(path)}::{function} -> {module}")
    return found


def test_no_function_level_import_crosses_apps_without_a_reason():
    ratchet(
        cross_app_function_imports(),
        CROSS_APP_FUNCTION_IMPORTS,
        "imports inside a function that cross apps without a comment",
        "Import at the top of the module (the layers in .importlinter say which way), use a registry "
        "filled in AppConfig.ready(), or say on the import line why it must be inside the function.",
    )


# --- (d) the diagram in docs/architecture.md is the contract ---------------------------------

LAYERS_BLOCK = re.compile(r"^```text layers[ \t]*\n(.*?)^```", re.S | re.M)


def contract_layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    value = config["importlinter:contract:layers"]["layers"]
    return [line.strip() for line in value.splitlines() if line.strip()]


def test_the_contract_has_layers():
    layers = contract_layers()
    assert "lib" in layers[-1].split(" | ") and "access" in layers, layers


def test_docs_architecture_draws_the_layers_of_the_contract():
    """docs/architecture.md has a block opened with ```text layers whose lines (top to bottom,
    ``|`` between apps that must not import each other) are the layers of .importlinter."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = LAYERS_BLOCK.search(text)
    assert block, "docs/architecture.md has no ```text layers block"
    drawn = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert drawn == contract_layers()
