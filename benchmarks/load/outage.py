"""PostgreSQL restarted (or its connections killed) while Koers is under load (issue #18, "Faults").

    python benchmarks/load/outage.py --source koers_load_small              # a real stop/start
    python benchmarks/load/outage.py --source koers_load_small --mode immediate   # a crash
    python benchmarks/load/outage.py --source koers_load_small --mode terminate   # pg_terminate_backend

The shared PostgreSQL server must not be restarted, so this script starts its OWN server: a
fresh cluster under /tmp (``initdb`` and ``pg_ctl`` of Debian's postgresql package,
``--pg-bin``, run as the ``postgres`` user when started by root) on a free port, and copies
the ``--source`` database of the shared server into it (``pg_dump``/``pg_restore``). Then:

1. ``koers serve`` (gunicorn, production settings, ``--workers``) against that cluster; persons
   signed in with a verified second factor (``prepare.py --make-persons``);
2. ``--threads`` persons post diary entries (``/mijn/bijhouden/invoeren/``, each value at its
   own minute with a unique note) and read their portal page, as fast as answered;
3. after ``--before`` seconds PostgreSQL goes away for ``--down`` seconds: ``pg_ctl stop -m
   fast`` (a restart), ``-m immediate`` (a crash: no shutdown checkpoint) — then ``pg_ctl
   start`` — or, with ``--mode terminate``, every connection of Koers is killed with
   ``pg_terminate_backend`` several times (the server stays up);
4. the load goes on for ``--after`` seconds; gunicorn is never restarted.

Checked (``check``; the exit code is 1 when one fails):
- every answer is 302 (saved), 200 (a page) or 503; no 500, no other status, no connection error;
- every 503 is Koers's Dutch page with ``Retry-After`` and no traceback;
- every diary entry that was acknowledged (302) is in the database exactly once; none is
  stored twice; an entry answered with the 503 page that says it was not saved was not stored,
  and one answered with the page that says it was saved (committed before PostgreSQL went away,
  ``koers.lib.faults.Writes``) was;
- Koers recovers by itself: the last ``--after`` / 2 seconds have no 503, with the same
  gunicorn master.

Writes ``benchmarks/results/outage-<mode>/summary.json``. ``tests/test_pg_outage.py`` runs the
same with a small database in well under a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_server import HOST, ROOT, NoRedirect, free_port, prepare_users, production_env, start_server, stop_server  # noqa: E402

PG_BIN = Path(os.environ.get("KOERS_PG_BIN", "/usr/lib/postgresql/15/bin"))
DUTCH = "Koers is even niet beschikbaar"
STORED = "is wel bewaard"  # the 503 page of a change committed before the database went away


class Cluster:
    """A PostgreSQL server of our own, under a temporary directory, on a free port."""

    def __init__(self, pg_bin: Path = PG_BIN):
        self.pg_bin = pg_bin
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="koers-outage-"))
        self.data = self.dir / "data"
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    @staticmethod
    def available(pg_bin: Path = PG_BIN) -> str | None:
        """None when a cluster can be made here, else why not."""
        for tool in ("initdb", "pg_ctl"):
            if not (pg_bin / tool).exists():
                return f"{pg_bin / tool} is missing (Debian: apt-get install postgresql)"
        for tool in ("pg_dump", "pg_restore", "psql"):
            if not shutil.which(tool):
                return f"{tool} is not on PATH (apt-get install postgresql-client)"
        if os.geteuid() == 0:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no postgres user to run initdb as"
        return None

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=check, timeout=120)  # noqa: S603

    def init(self) -> None:
        self._run(str(self.pg_bin / "initdb"), "-D", str(self.data), "-U", "root", "-A", "trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB"
        self._run(
            str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgres://root@127.0.0.1:{self.port}/{database}"

    def psql(self, database: str, sql: str) -> str:
        out = subprocess.run(  # noqa: S603 - psql, fixed arguments
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "root", "-d", database, "-Atc", sql],
            capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return out.stdout

    def copy_from(self, source_url: str, database: str) -> None:
        """The source database (on another server) into a new database here."""
        dump = self.dir / "source.dump"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), "-d", source_url], check=True, timeout=600)  # noqa: S603
        self.psql("postgres", f"create database {database}")
        subprocess.run(  # noqa: S603 - pg_restore, fixed arguments
            ["pg_restore", "--no-owner", "--no-privileges", "-d", self.url(database), str(dump)],
            check=True, timeout=600, capture_output=True,
        )  # fmt: skip
        dump.unlink()

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Answer:
    t: float
    kind: str  # "entry" or "page"
    status: int  # 0: no HTTP answer at all
    note: str = ""
    person: int = 0
    retry_after: str | None = None
    dutch: bool = False
    traceback: bool = False
    said_stored: bool = False
    error: str = ""


@dataclass
class Driver:
    """Persons posting diary entries and reading a page, each in its own thread."""

    port: int
    cookie_name: str
    persons: list[dict]
    answers: list[Answer] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.csrf = secrets.token_hex(16)
        self.opener = urllib.request.build_opener(NoRedirect)
        self.lock = threading.Lock()

    def request(self, person: dict, path: str, data: dict | None) -> tuple[int, dict, str]:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": f"{self.cookie_name}={person['session']}; __Host-csrftoken={self.csrf}",
        }
        body = None
        if data is not None:
            headers |= {"Origin": f"https://{HOST}", "Content-Type": "application/x-www-form-urlencoded"}
            body = urllib.parse.urlencode(data | {"csrfmiddlewaretoken": self.csrf}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def person_loop(self, person: dict, field_name: str, value: str) -> None:
        minutes = itertools.count(3)
        # 800 days back: clear of the values the generator or a load run put at recent minutes.
        base = dt.datetime.now().replace(second=0, microsecond=0) - dt.timedelta(days=800)
        while not self.stopping.is_set():
            for kind in ("entry", "page"):
                note = f"load {secrets.token_hex(8)}" if kind == "entry" else ""
                if kind == "entry":
                    moment = (base - dt.timedelta(minutes=next(minutes))).strftime("%Y-%m-%dT%H:%M")
                    data = {"effective_at": moment, "note": note, field_name: value}
                    path = "/mijn/bijhouden/invoeren/?alles"
                else:
                    data, path = None, "/mijn/"
                t = time.monotonic() - self.started
                try:
                    status, headers, body = self.request(person, path, data)
                    answer = Answer(
                        t, kind, status, note, person["person"], headers.get("Retry-After"),
                        DUTCH in body, "Traceback" in body or 'File "' in body, STORED in body,
                    )  # fmt: skip
                except OSError as error:
                    answer = Answer(t, kind, 0, note, person["person"], error=str(error)[:200])
                with self.lock:
                    self.answers.append(answer)
                if answer.status not in (200, 302):
                    time.sleep(0.2)  # a browser's user does not hammer an error page

    def start(self, field_name: str, value: str) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self.person_loop, args=(p, field_name, value), daemon=True) for p in self.persons
        ]
        for thread in threads:
            thread.start()
        return threads


def check(answers: list[Answer], stored: dict[str, int], outage: tuple[float, float], after: float) -> dict:
    """The findings; ``failures`` lists each broken promise."""
    failures = []
    ours = {a.note for a in answers if a.note}
    stored = {note: count for note, count in stored.items() if note in ours}
    acknowledged = [a for a in answers if a.kind == "entry" and a.status == 302]
    refused = [a for a in answers if a.kind == "entry" and a.status == 200]
    unavailable = [a for a in answers if a.status == 503]
    other = [a for a in answers if a.status not in (200, 302, 503)]
    lost = [a.note for a in acknowledged if stored.get(a.note, 0) == 0]
    doubled = [note for note, count in stored.items() if count > 1]
    saved_anyway = [a.note for a in unavailable if a.kind == "entry" and not a.said_stored and stored.get(a.note, 0)]
    said_stored = [a.note for a in unavailable if a.kind == "entry" and a.said_stored]
    said_stored_missing = [note for note in said_stored if not stored.get(note, 0)]
    bad_pages = [a for a in unavailable if not (a.dutch and a.retry_after and not a.traceback)]
    end = max((a.t for a in answers), default=0)
    late_errors = [a for a in answers if a.t >= end - after / 2 and a.status != 200 and a.status != 302]
    recovered_at = None
    for a in sorted(answers, key=lambda a: a.t):
        if a.t > outage[1] and a.status in (200, 302):
            recovered_at = round(a.t - outage[1], 2)
            break
    if other:
        failures.append(f"{len(other)} answers neither 2xx/302 nor 503: {sorted({(a.status, a.error) for a in other})}")
    if lost:
        failures.append(f"{len(lost)} acknowledged diary entries are not in the database: {lost[:5]}")
    if any(stored.get(a.note, 0) for a in refused):
        failures.append("an entry the form refused (200) was stored")
    if doubled:
        failures.append(f"{len(doubled)} diary entries stored more than once: {doubled[:5]}")
    if saved_anyway:
        failures.append(f"{len(saved_anyway)} entries answered 503 'not saved' were stored: {saved_anyway[:5]}")
    if said_stored_missing:
        failures.append(f"{len(said_stored_missing)} answered 503 'saved' are missing: {said_stored_missing[:5]}")
    if bad_pages:
        failures.append(f"{len(bad_pages)} 503 answers without the Dutch page, Retry-After, or with a traceback")
    if late_errors:
        failures.append(f"{len(late_errors)} errors in the last {after / 2:.0f} s: not recovered")
    if not unavailable:
        failures.append("no request met the outage: nothing was tested")
    if recovered_at is None:
        failures.append("no successful request after the outage")
    return {
        "answers": len(answers),
        "entries_posted": sum(1 for a in answers if a.kind == "entry"),
        "entries_acknowledged": len(acknowledged),
        "entries_stored": sum(stored.values()),
        "answered_503": len(unavailable),
        "answered_503_with_dutch_page_and_retry_after": len(unavailable) - len(bad_pages),
        "entries_answered_503_but_stored": len(saved_anyway),
        "entries_answered_503_saying_stored": len(said_stored),
        "entries_answered_503_saying_stored_but_missing": len(said_stored_missing),
        "entries_refused_by_the_form": len(refused),
        "entries_refused_but_stored": sum(1 for a in refused if stored.get(a.note, 0)),
        "other_statuses": len(other),
        "lost": len(lost),
        "doubled": len(doubled),
        "first_success_after_outage_s": recovered_at,
        "failures": failures,
    }


def run(
    *,
    source_url: str,
    mode: str = "fast",
    threads: int = 4,
    workers: int = 2,
    before: float = 4,
    down: float = 5,
    after: float = 10,
    out: Path,
    pg_bin: Path = PG_BIN,
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(pg_bin)
    server = None
    try:
        cluster.init()
        cluster.start()
        cluster.copy_from(source_url, "koers")
        env = production_env(cluster.url("koers"), out / "data")
        prepare_users(env, out / "users.json", professionals=0, persons=threads, api=0, make_persons=True)
        users = json.loads((out / "users.json").read_text())
        port = free_port()
        server = start_server(env, port, workers, out / "gunicorn.log")
        master = server.pid
        driver = Driver(port=port, cookie_name=users["cookie_name"], persons=users["persons"])
        started = driver.start("v_mood", "6")
        time.sleep(before)
        outage_start = time.monotonic() - driver.started
        if mode == "terminate":
            end = time.monotonic() + down
            while time.monotonic() < end:
                cluster.psql(
                    "postgres",
                    "select pg_terminate_backend(pid) from pg_stat_activity "
                    "where datname = 'koers' and pid <> pg_backend_pid()",
                )
                time.sleep(0.5)
        else:
            cluster.stop(mode)
            time.sleep(down)
            cluster.start()
        outage_end = time.monotonic() - driver.started
        time.sleep(after)
        driver.stopping.set()
        for thread in started:
            thread.join(timeout=70)
        rows = cluster.psql(
            "koers", "select note, count(*) from monitoring_observation where note like 'load %' group by note"
        )
        stored = {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if "|" in line}
        summary = {
            "mode": mode,
            "threads": threads,
            "workers": workers,
            "outage_s": [round(outage_start, 2), round(outage_end, 2)],
            "same_gunicorn_master": server.poll() is None and server.pid == master,
            **check(driver.answers, stored, (outage_start, outage_end), after),
            "load_average": os.getloadavg(),
        }
        (out / "answers.tsv").write_text(
            "".join(f"{a.t:.2f}\t{a.kind}\t{a.status}\t{a.retry_after}\t{a.note}\t{a.error}\n" for a in driver.answers)
        )
        (out / "summary.json").write_text(json.dumps(summary, indent=2))
        return summary
    finally:
        if server is not None:
            stop_server(server)
        cluster.destroy()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="a database on the shared server to copy (read only)")
    parser.add_argument("--source-server", default="postgres://root@127.0.0.1:5432/")
    parser.add_argument("--mode", choices=["fast", "immediate", "terminate"], default="fast")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--before", type=float, default=10)
    parser.add_argument("--down", type=float, default=10)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--pg-bin", type=Path, default=PG_BIN)
    args = parser.parse_args()
    why = Cluster.available(args.pg_bin)
    if why:
        print(f"outage: {why}", file=sys.stderr)
        return 2
    summary = run(
        source_url=args.source_server + args.source,
        mode=args.mode,
        threads=args.threads,
        workers=args.workers,
        before=args.before,
        down=args.down,
        after=args.after,
        out=ROOT / "benchmarks/results" / f"outage-{args.mode}",
        pg_bin=args.pg_bin,
    )
    print(json.dumps(summary, indent=2))
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
