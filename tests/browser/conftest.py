"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server.

- One browser per test session (per xdist worker); one fresh context (cookies, storage) per test.
- The browser is Debian's ``/usr/bin/chromium``; Playwright's own browser download is never used.
  When it is missing the tests FAIL: ``python3 dev.py test`` installs it.
- ``live_server`` makes the test transactional; the root ``conftest.py`` (``_flushable_access_log``,
  autouse) lets the flush after it pass the access log's append-only trigger on SQLite, for the
  browser tests of every app.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Moved to the root conftest.py (autouse for every live_server test); still importable from here
# for modules that import the browser fixtures by name.
from conftest import _flushable_access_log  # noqa: F401

CHROMIUM = Path(os.environ.get("KOERS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "test-wachtwoord-123"  # tests.support.testing.make_user's default
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser(request):
    """One Chromium per test process, shared by every copy of this fixture.

    Other apps' browser tests import these fixtures into their own modules, which makes a
    second ``browser`` fixture definition; a second Playwright in the same thread would fail
    ("Sync API inside the asyncio loop"). So the browser lives on the pytest config object,
    started by whichever copy comes first and stopped once, at the end of the session.
    """
    config = request.config
    running = getattr(config, "_koers_chromium", None)
    if running is not None:
        return running
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}. The browser tests need Debian's chromium package: "
            "run 'python3 dev.py test' (installs it) or 'apt-get install chromium'.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the [test] extra installs it
        pytest.fail("The Python package 'playwright' is missing: pip install -e '.[test]'", pytrace=False)
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
    # make between page actions are synchronous and safe, so allow them while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    config._koers_chromium = chromium

    def stop():
        config._koers_chromium = None
        try:
            chromium.close()
        finally:
            playwright.stop()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

    config.add_cleanup(stop)
    return chromium


@dataclass
class Problems:
    """What the browser reported while a test ran: CSP violations, script errors."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]


@pytest.fixture
def problems():
    return Problems()


@pytest.fixture
def new_page(browser, live_server, problems):
    """new_page(viewport=DESKTOP) -> a page in its own browser context (own cookies)."""
    contexts = []

    def _new_page(viewport=None):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale="nl-NL", device_scale_factor=1
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: problems.page_errors.append(str(exc)))
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in():
    """log_in(page, username) through the real login form."""

    def _log_in(page, username: str, password: str = PASSWORD):
        page.goto("/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Inloggen").click()
        return page

    return _log_in


@pytest.fixture
def log_out():
    def _log_out(page):
        with page.expect_navigation():
            page.get_by_role("button", name="Uitloggen").click()
        return page

    return _log_out


@pytest.fixture
def screenshot(tmp_path):
    """screenshot(page, name): a viewport PNG; also written to docs/screenshots/ when
    KOERS_SCREENSHOTS=1, so an ordinary test run never changes committed files."""

    def _screenshot(page, name: str) -> Path:
        target = tmp_path / f"{name}.png"
        page.screenshot(path=str(target), full_page=False, animations="disabled", caret="hide")
        if os.environ.get("KOERS_SCREENSHOTS") == "1":
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, SCREENSHOT_DIR / target.name)
        return target

    return _screenshot
