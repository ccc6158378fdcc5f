"""Koers's load profile (issue #18, "Load and soak"): persons, professionals and API clients.

Run by ``benchmarks/load/run.py`` (which starts gunicorn, prepares the users and steps the
concurrency); by hand:

    KOERS_LOAD_USERS=users.json locust -f benchmarks/load/locustfile.py --headless \\
        -H http://127.0.0.1:8011 -u 16 -r 8 -t 2m --csv out/step16

Every user is signed in with a verified second factor (``prepare.py``); each locust user takes
its own account. The server runs as in production behind a TLS proxy: this file plays the proxy
(``X-Forwarded-Proto: https``, ``X-Forwarded-For``) and sends the ``Host`` and ``Origin`` a browser
would, so Koers's secure ``__Host-`` cookies, CSRF and HTTPS checks stay on.

Mix (weights within each kind of user):
- professionals (weight 6): caseload 15, person overview 30, care plan 20, goals 20,
  questionnaires 15 — the issue's mix — plus a consult page 4 and a care-plan edit (a goal's
  edit form, saved) 2;
- persons (weight 3): portal home 25, goals and progress 25, self-monitoring overview 20,
  questionnaires 15, a diary entry (GET the form, POST a value) 15;
- API clients (weight 1): FHIR reads with a bearer token from ``koers api-token``:
  Patient read, Observation / CarePlan / Goal searches for a patient.

Environment: ``KOERS_LOAD_USERS`` (prepare.py's JSON), ``KOERS_LOAD_HOST`` (Host header,
default ``koers.test``), ``KOERS_LOAD_WAIT`` (seconds between tasks per user; 0 = closed loop,
as fast as the server answers), ``KOERS_LOAD_RATE`` (tasks per second per user, instead of a
wait: a fixed offered rate for the soak), ``KOERS_LOAD_LEDGER`` (a file to which every diary
POST is appended as ``status<TAB>person<TAB>note`` — the fault run checks it against the
database), ``KOERS_LOAD_KINDS`` (e.g. ``person`` to run persons only).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import secrets
import threading
from html.parser import HTMLParser

from locust import FastHttpUser, constant, constant_throughput, task

HOST = os.environ.get("KOERS_LOAD_HOST", "koers.test")
USERS = json.loads(open(os.environ["KOERS_LOAD_USERS"]).read()) if os.environ.get("KOERS_LOAD_USERS") else {}
KINDS = set(filter(None, os.environ.get("KOERS_LOAD_KINDS", "professional,person,api").split(",")))
LEDGER = os.environ.get("KOERS_LOAD_LEDGER", "")
CSRF = secrets.token_hex(16)  # a 32-character secret: the cookie and the form field carry the same
_ledger_lock = threading.Lock()
_next = {kind: itertools.count() for kind in ("professionals", "persons", "api")}


def _wait():
    rate = float(os.environ.get("KOERS_LOAD_RATE", "0") or 0)
    return constant_throughput(rate) if rate > 0 else constant(float(os.environ.get("KOERS_LOAD_WAIT", "0") or 0))


def account(kind: str) -> dict:
    pool = USERS[kind]
    return pool[next(_next[kind]) % len(pool)]


class FormParser(HTMLParser):
    """The named fields of the form(s) on a page, with the values a browser would submit."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.inputs: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            self.inputs.append(a)
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.inputs.append(a | {"type": "select"})
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


class Koers(FastHttpUser):
    abstract = True
    wait_time = _wait()
    kind = ""

    def on_start(self):
        self.me = account(self.kind)
        self.client.client.cookiejar = None  # the cookies are fixed: sent by hand on every request
        cookie = f"{USERS['cookie_name']}={self.me['session']}; {csrf_cookie_name()}={CSRF}"
        self.headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.7",
            "Cookie": cookie,
        }

    def get(self, url: str, name: str):
        """A page that must answer 200 itself: a redirect (to the login or the second factor) fails."""
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code} {answer.headers.get('Location', '')}")
            return answer


def csrf_cookie_name() -> str:
    return "__Host-csrftoken" if USERS.get("cookie_name", "").startswith("__Host-") else "csrftoken"


class Professional(Koers):
    weight = 6 if "professional" in KINDS else 0
    kind = "professionals"

    def person(self) -> dict:
        return random.choice(self.me["persons"])

    @task(15)
    def caseload(self):
        self.get("/clienten/", "caseload /clienten/")

    @task(30)
    def overview(self):
        self.get(f"/personen/{self.person()['id']}/", "person overview /personen/[id]/")

    @task(20)
    def care_plan(self):
        self.get(f"/personen/{self.person()['id']}/zorgplan/", "care plan /personen/[id]/zorgplan/")

    @task(20)
    def goals(self):
        self.get(f"/personen/{self.person()['id']}/doelen/", "goals /personen/[id]/doelen/")

    @task(15)
    def questionnaires(self):
        self.get(f"/personen/{self.person()['id']}/vragenlijsten/", "questionnaires /personen/[id]/vragenlijsten/")

    @task(4)
    def consult(self):
        person = random.choice([p for p in self.me["persons"] if p["consults"]] or [self.person()])
        if person["consults"]:
            url = f"/personen/{person['id']}/consulten/{random.choice(person['consults'])}/"
            self.get(url, "consult /personen/[id]/consulten/[id]/")

    @task(2)
    def care_plan_edit(self):
        """Open a goal's edit form and save it with one field changed (a care-plan edit)."""
        person = random.choice([p for p in self.me["persons"] if p["goals"]] or [self.person()])
        if not person["goals"]:
            return
        url = f"/personen/{person['id']}/doelen/{random.choice(person['goals'])}/wijzigen/"
        page = self.get(url, "goal edit form /personen/[id]/doelen/[id]/wijzigen/")
        if page.status_code != 200:
            return
        fields = form_fields(page.text).fields
        fields.pop("csrfmiddlewaretoken", None)
        for name in ("why_it_matters", "description"):
            if name in fields:
                fields[name] = f"{fields[name].split(' [load ')[0]} [load {secrets.token_hex(3)}]".strip()
                break
        with self.client.post(
            url,
            name="goal edit save POST /personen/[id]/doelen/[id]/wijzigen/",
            data=fields | {"csrfmiddlewaretoken": CSRF},
            headers=self.headers | {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{url}"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"goal edit not saved: {answer.status_code}")


class Person(Koers):
    weight = 3 if "person" in KINDS else 0
    kind = "persons"

    def on_start(self):
        super().on_start()
        # Each diary entry at its own minute, over a year back and at a random start, clear of the
        # generated values and of earlier runs with the same account (a value already stored at
        # that minute is refused with 200 and the form).
        self.minutes_back = itertools.count(random.randrange(1_000_000))
        self.started = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=400)
        self.entry_field: tuple[str, str] | None = None

    @task(25)
    def portal(self):
        self.get("/mijn/", "portal /mijn/")

    @task(25)
    def progress(self):
        self.get("/mijn/doelen/", "progress /mijn/doelen/")

    @task(20)
    def monitoring(self):
        self.get("/mijn/bijhouden/", "self-monitoring /mijn/bijhouden/")

    @task(15)
    def questionnaires(self):
        self.get("/mijn/vragenlijsten/", "questionnaires /mijn/vragenlijsten/")

    @task(15)
    def diary_entry(self):
        if self.entry_field is None:
            page = self.get("/mijn/bijhouden/invoeren/?alles", "diary form /mijn/bijhouden/invoeren/")
            if page.status_code != 200:
                return
            self.entry_field = pick_entry_field(form_fields(page.text))
            if self.entry_field is None:
                return
        self.post_entry(*self.entry_field)

    def post_entry(self, field: str, value: str) -> None:
        minutes = next(self.minutes_back)
        moment = self.started - dt.timedelta(minutes=minutes)
        note = f"load {secrets.token_hex(8)}"
        data = {"effective_at": moment.strftime("%Y-%m-%dT%H:%M"), "note": note, field: value}
        with self.client.post(
            "/mijn/bijhouden/invoeren/?alles",
            name="diary entry POST /mijn/bijhouden/invoeren/",
            data=data | {"csrfmiddlewaretoken": CSRF},
            headers=self.headers | {"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/mijn/bijhouden/"},
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            status = answer.status_code
            if status != 302:
                answer.failure(f"diary entry not saved: {status}")
        if LEDGER:
            with _ledger_lock, open(LEDGER, "a") as ledger:
                ledger.write(f"{status}\t{self.me['person']}\t{note}\n")


ENTRY_FIELD = re.compile(r"^v_[\w-]+$")


def pick_entry_field(form: FormParser) -> tuple[str, str] | None:
    """A self-monitoring field and a valid value: a choice's middle option, or a number in range."""
    for attrs in form.inputs:
        name = attrs.get("name", "")
        if not ENTRY_FIELD.match(name):
            continue
        if attrs.get("type") == "radio":
            return name, attrs.get("value", "")
        if attrs.get("type") == "number" and attrs.get("min") and attrs.get("max"):
            low, high = float(attrs["min"]), float(attrs["max"])
            return name, str(int((low + high) / 2)) if float(int(low)) == low else str((low + high) / 2)
    return None


class ApiClient(Koers):
    weight = 1 if "api" in KINDS else 0
    kind = "api"

    def on_start(self):
        self.me = account(self.kind)
        self.client.client.cookiejar = None
        self.headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "198.51.100.8",
            "Authorization": f"Bearer {self.me['token']}",
            "Accept": "application/fhir+json",
        }

    def patient(self) -> int:
        return random.choice(self.me["persons"])

    @task(4)
    def patient_read(self):
        self.get(f"/fhir/Patient/{self.patient()}", "FHIR Patient read")

    @task(3)
    def observations(self):
        self.get(f"/fhir/Observation?patient={self.patient()}&_count=50", "FHIR Observation search")

    @task(2)
    def care_plans(self):
        self.get(f"/fhir/CarePlan?patient={self.patient()}", "FHIR CarePlan search")

    @task(2)
    def goals(self):
        self.get(f"/fhir/Goal?patient={self.patient()}", "FHIR Goal search")
