"""The scale-out topology of docs/scaling.md, on one machine and loopback only (issue #18, "Beyond
one machine"): every part an existing engine, nothing home-made.

    python benchmarks/topology.py                      # 2,000 people, 60 s of load, kill at 30 s
    python benchmarks/topology.py --people 5000 --seconds 90 --threads 8

1. A PostgreSQL **primary** (``initdb`` of Debian's package in a temporary directory, a free port,
   ``pg_stat_statements`` preloaded) and a **streaming read replica** of it (``pg_basebackup -R``,
   started on another port); waits until the replica is in recovery and replays a marker.
2. ``koers migrate`` and ``koers generate --people N`` on the primary (the replica follows).
3. **Two gunicorn masters** (``koers serve``, 2 sync workers each) bound to the SAME port with
   ``SO_REUSEPORT`` (``KOERS_REUSE_PORT=true``): the kernel spreads new connections over them,
   no balancer of our own. Both have ``DATABASE_REPLICA_URL``; sessions are Django's database
   sessions (Koers has no cache setting for sessions). Each writes a gunicorn access log with the
   worker's pid only (``%(p)s %(s)s %(L)s``: no paths, no addresses), to count who answered.
4. **One task worker** (``koers worker``: ``django_tasks_db``'s ``db_worker``) and one reminder
   sweep enqueued (``koers scheduler --once``); the sweep queues a delivery run.
5. ``--threads`` signed-in professionals (``load/prepare.py``) request pages of the load profile's
   professional mix (``load/locustfile.py``) plus the population page and the indicators, as fast
   as answered, for ``--seconds``; halfway one app master and its workers get ``SIGKILL``.
6. Reported: requests/s, p50/p95, errors (before the kill, in flight at the kill, after it), the
   split over the two masters and their workers, the statements the replica ran
   (``pg_stat_statements``) next to the transactions on each server (``pg_stat_database``), the
   access-log rows (all written on the primary, the same count replicated), ``koers audit
   verify``, and the task results.

Everything (clusters, processes, temporary directories) is removed at the end, also on Ctrl-C.
Writes ``benchmarks/results/topology/summary.json``; figures in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
from load_server import HOST, PYTHON, ROOT, free_port, prepare_users, production_env  # noqa: E402
from outage import PG_BIN, Cluster, NoRedirect  # noqa: E402

DATABASE = "koers"
# The professional mix of load/locustfile.py (GET pages; weights as there), plus the two pages that
# read many people and are routed to the replica: the organisation's population page (asked by a
# manager: a professional sees only their team's, and generated professionals have no team) and
# the indicators (asked by the professional).
PAGES = [
    ("caseload", 15, lambda p: "/clienten/"),
    ("person overview", 30, lambda p: f"/personen/{p}/"),
    ("care plan", 20, lambda p: f"/personen/{p}/zorgplan/"),
    ("goals", 20, lambda p: f"/personen/{p}/doelen/"),
    ("questionnaires", 15, lambda p: f"/personen/{p}/vragenlijsten/"),
    ("population", 10, lambda p: "/populatie/"),
    ("indicators", 5, lambda p: "/indicatoren/"),
]
AS_MANAGER = {"population"}
MANAGER_SESSION = """
import sys
import django
django.setup()
sys.path.insert(0, "benchmarks/load")
from prepare import signed_in
from koers.accounts.models import User
print(signed_in(User.objects.filter(role="manager", is_active=True).order_by("pk").first()))
"""


class Node(Cluster):
    """A PostgreSQL server of our own (outage.py's cluster), with pg_stat_statements preloaded."""

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c shared_buffers=64MB"
            " -c shared_preload_libraries=pg_stat_statements -c wal_level=replica -c max_wal_senders=4"
            " -c hot_standby=on -c fsync=off"
        )
        self._run(
            str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def base_backup_from(self, primary: Node) -> None:
        """A streaming replica: the primary's files, and ``-R`` writes standby.signal and primary_conninfo."""
        self._run(
            str(self.pg_bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "root",
            "-D", str(self.data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip

    def value(self, sql: str, database: str = DATABASE) -> str:
        return self.psql(database, sql).strip()


def wait_for(what: str, test, timeout: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if test():
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"topology: {what} did not happen within {timeout:.0f} s")


def caught_up(primary: Node, replica: Node) -> float:
    """Seconds until the replica has replayed everything the primary has written so far."""
    lsn = primary.value("select pg_current_wal_lsn()", "postgres")
    return wait_for(
        "replay on the replica",
        lambda: replica.value(f"select pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", "postgres") == "t",
    )


@dataclass
class Answer:
    start: float
    end: float
    page: str
    status: int  # 0: no HTTP answer
    error: str = ""


class Driver:
    """Signed-in professionals in threads, each requesting pages of the mix as fast as answered."""

    def __init__(self, port: int, cookie_name: str, professionals: list[dict], manager: str = "", seed: int = 18):
        self.port, self.cookie_name, self.professionals, self.manager = port, cookie_name, professionals, manager
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.opener = urllib.request.build_opener(NoRedirect)
        self.t0 = time.monotonic()
        self.seed = seed

    def get(self, session: str, path: str) -> int:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": f"{self.cookie_name}={session}; __Host-csrftoken={secrets.token_hex(16)}",
        }
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with self.opener.open(request, timeout=60) as answer:
                answer.read()
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def loop(self, index: int) -> None:
        rng = random.Random(self.seed + index)
        me = self.professionals[index % len(self.professionals)]
        names, weights = [p[0] for p in PAGES], [p[1] for p in PAGES]
        paths = {p[0]: p[2] for p in PAGES}
        while not self.stopping.is_set():
            page = rng.choices(names, weights)[0]
            path = paths[page](rng.choice(me["persons"])["id"])
            session = self.manager if page in AS_MANAGER else me["session"]
            start = time.monotonic() - self.t0
            try:
                answer = Answer(start, 0, page, self.get(session, path))
            except OSError as error:
                answer = Answer(start, 0, page, 0, f"{type(error).__name__}: {error}"[:160])
            answer.end = time.monotonic() - self.t0
            with self.lock:
                self.answers.append(answer)

    def start(self, threads: int) -> list[threading.Thread]:
        started = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(threads)]
        for thread in started:
            thread.start()
        return started


class Processes:
    """Every process this run starts, each in its own process group, stopped in ``close``."""

    def __init__(self, env: dict[str, str], out: Path):
        self.env, self.out, self.running = env, out, []

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.out / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
            [PYTHON, "-m", "koers.cli", *args], cwd=ROOT, env=env or self.env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.running.append(process)
        return process

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(  # noqa: S603 - this Python, fixed arguments
            [PYTHON, "-m", "koers.cli", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=900
        )
        if not check:
            return f"exit {done.returncode}: {(done.stdout + done.stderr).strip()[-300:]}"
        if done.returncode:
            raise SystemExit(f"topology: koers {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout + done.stderr

    def python(self, code: str) -> str:
        done = subprocess.run(  # noqa: S603 - this Python, fixed code
            [PYTHON, "-c", code], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300, check=True
        )
        return done.stdout

    @staticmethod
    def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        for process in self.running:
            self.kill(process, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill(process)
                process.wait()


def app_server(processes: Processes, name: str, port: int, workers: int) -> subprocess.Popen:
    env = processes.env | {"KOERS_REUSE_PORT": "true"}
    return processes.start(
        name, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--access-logfile", str(processes.out / f"{name}-access.log"), "--access-logformat", "%(p)s %(s)s %(L)s",
        env=env,
    )  # fmt: skip


def wait_serving(driver: Driver, log: Path, process: subprocess.Popen) -> None:
    """/gezond answered by THIS master (its access log grows): with two on one port, poll until so."""

    def answered() -> bool:
        if process.poll() is not None:
            raise SystemExit(f"topology: an app server stopped at start; see {log.parent}")
        try:
            driver.get("", "/gezond")
        except OSError:
            return False
        return log.exists() and log.stat().st_size > 0

    wait_for(f"{log.name} answering", answered, timeout=300)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def load_figures(answers: list[Answer], seconds: float, kill_at: float, gone_at: float) -> dict:
    """In flight at the kill: started before the killed master was gone, ended after the kill.
    After the kill: started once it was gone (its socket closed; only app-b is left)."""
    ok = [a for a in answers if a.status == 200]
    failed = [a for a in answers if a.status != 200]
    per_page = {}
    for name, _weight, _path in PAGES:
        times = [(a.end - a.start) * 1000 for a in ok if a.page == name]
        p50, p95 = round(percentile(times, 50)), round(percentile(times, 95))
        per_page[name] = {"ok": len(times), "p50_ms": p50, "p95_ms": p95}
    times = [(a.end - a.start) * 1000 for a in ok]
    before = [a for a in answers if a.end < kill_at]
    after = [a for a in answers if a.start >= gone_at]
    in_flight = [a for a in answers if a.start < gone_at and a.end >= kill_at]
    return {
        "requests": len(answers),
        "requests_per_s": round(len(answers) / seconds, 1),
        "p50_ms": round(percentile(times, 50)),
        "p95_ms": round(percentile(times, 95)),
        "failed": len(failed),
        "failed_before_kill": sum(1 for a in before if a.status != 200),
        "in_flight_at_kill": len(in_flight),
        "failed_in_flight_at_kill": sorted(f"{a.page}: {a.status} {a.error}" for a in in_flight if a.status != 200),
        "failed_started_after_kill": sum(1 for a in after if a.status != 200),
        "requests_per_s_before_kill": round(len(before) / kill_at, 1),
        "requests_per_s_after_kill": round(len(after) / (seconds - gone_at), 1),
        "statuses": {str(s): sum(1 for a in answers if a.status == s) for s in sorted({a.status for a in answers})},
        "pages": per_page,
    }


def access_lines(out: Path, name: str) -> int:
    return sum(1 for line in (out / f"{name}-access.log").read_text().split("\n") if line.strip())


def access_split(out: Path) -> dict:
    split = {}
    for name in ("app-a", "app-b"):
        lines = (out / f"{name}-access.log").read_text().split("\n")
        pids = [line.split()[0] for line in lines if line.strip()]
        split[name] = {"requests": len(pids), "by_worker_pid": {p: pids.count(p) for p in sorted(set(pids))}}
    return split


def replica_statements(replica: Node) -> dict:
    rows = replica.value(
        "select calls, regexp_replace(left(query, 90), '\\s+', ' ', 'g') from pg_stat_statements s "
        f"join pg_database d on d.oid = s.dbid where d.datname = '{DATABASE}' order by calls desc"
    )
    parsed = [(int(line.split("|", 1)[0]), line.split("|", 1)[1]) for line in rows.splitlines() if "|" in line]
    writes = [q for _c, q in parsed if q.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    return {
        "statements": sum(c for c, _q in parsed),
        "distinct": len(parsed),
        "touching_access_log": sum(c for c, q in parsed if "audit_accesslogentry" in q),
        "writes": len(writes),
        "top": [f"{c} × {q}" for c, q in parsed[:6]],
    }


def xacts(node: Node) -> int:
    return int(node.value(f"select xact_commit + xact_rollback from pg_stat_database where datname = '{DATABASE}'"))


def access_log(node: Node, since_id: int) -> dict:
    rows = node.value(
        f"select object_type, count(*) from audit_accesslogentry where id > {since_id} group by 1 order by 2 desc"
    )
    return {line.split("|")[0]: int(line.split("|")[1]) for line in rows.splitlines() if "|" in line}


def build(args, tmp: Path, out: Path, primary: Node, replica: Node) -> tuple[dict, dict]:
    """Steps 1-2: the two servers, Koers's schema and the generated people; returns (env, figures)."""
    started = time.monotonic()
    primary.init()
    primary.start()
    replica.base_backup_from(primary)
    replica.start()
    wait_for("the replica in recovery", lambda: replica.value("select pg_is_in_recovery()", "postgres") == "t")
    token = secrets.token_hex(8)
    primary.psql("postgres", f"create table replay_check(token text); insert into replay_check values ('{token}')")
    replayed = wait_for(
        "the marker on the replica",
        lambda: (
            replica.value("select count(*) from pg_tables where tablename = 'replay_check'", "postgres") == "1"
            and replica.value("select token from replay_check", "postgres") == token
        ),
    )
    primary.psql("postgres", f"create database {DATABASE}")
    env = production_env(primary.url(DATABASE), tmp / "data") | {
        "DATABASE_REPLICA_URL": replica.url(DATABASE),
        "KOERS_DB_CONN_MAX_AGE": "60",
    }
    processes = Processes(env, out)
    migrate_started = time.monotonic()
    processes.run("migrate", "--noinput")
    migrated = time.monotonic() - migrate_started
    processes.run("generate", "--people", str(args.people), "--no-progress")
    generated = time.monotonic() - migrate_started - migrated
    primary.psql(DATABASE, "create extension if not exists pg_stat_statements")
    lag = caught_up(primary, replica)
    figures = {
        "people": args.people,
        "replica_in_recovery": replica.value("select pg_is_in_recovery()", "postgres") == "t",
        "marker_replayed_s": round(replayed, 2),
        "migrate_s": round(migrated, 1),
        "generate_s": round(generated, 1),
        "replica_caught_up_after_generate_s": round(lag, 2),
        "rows_people_primary_replica": [
            int(primary.value("select count(*) from people_person")),
            int(replica.value("select count(*) from people_person")),
        ],
        "database_size": primary.value(f"select pg_size_pretty(pg_database_size('{DATABASE}'))"),
        "build_s": round(time.monotonic() - started, 1),
    }
    return env, figures


def drive(driver: Driver, apps: dict[str, subprocess.Popen], args, out: Path) -> dict:
    """The load for ``args.seconds``; halfway app-a (master and workers) gets SIGKILL."""
    load_before = os.getloadavg()
    driver.t0 = time.monotonic()
    threads = driver.start(args.threads)
    time.sleep(args.seconds / 2)
    split_before_kill = {name: access_lines(out, name) for name in apps}
    kill_at = time.monotonic() - driver.t0
    Processes.kill(apps["app-a"])  # the master and its workers: a crashed app server
    app_a_killed = apps["app-a"].wait(timeout=10) == -signal.SIGKILL
    gone_at = time.monotonic() - driver.t0  # its listening socket is closed from here on
    time.sleep(max(0.0, args.seconds - gone_at))
    driver.stopping.set()
    for thread in threads:
        thread.join(timeout=70)
    return {
        "kill_at": kill_at,
        "gone_at": gone_at,
        "app_a_killed": app_a_killed,
        "split_before_kill": split_before_kill,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def run(args, tmp: Path, out: Path) -> dict:
    primary, replica = Node(args.pg_bin), Node(args.pg_bin)
    processes = None
    try:
        env, summary = build(args, tmp, out, primary, replica)
        processes = Processes(env, out)
        prepare_users(env, out / "users.json", professionals=args.threads, persons=0, api=0)
        users = json.loads((out / "users.json").read_text())
        manager = processes.python(MANAGER_SESSION).strip().splitlines()[-1]
        port = free_port()
        driver = Driver(port, users["cookie_name"], users["professionals"], manager)
        apps = {}
        for name in ("app-a", "app-b"):
            apps[name] = app_server(processes, name, port, args.workers)
            wait_serving(driver, out / f"{name}-access.log", apps[name])
        worker = processes.start("worker", "worker", "--interval", "1")
        processes.run("scheduler", "--once")
        since = int(primary.value("select coalesce(max(id), 0) from audit_accesslogentry"))
        replica.value("select pg_stat_statements_reset()")
        xacts_before = {"primary": xacts(primary), "replica": xacts(replica)}
        for name in ("app-a", "app-b"):
            (out / f"{name}-access.log").write_text("")  # count the load only (gunicorn appends)
        load = drive(driver, apps, args, out)
        lag = caught_up(primary, replica)
        written = access_log(primary, since)
        summary |= {
            "threads": args.threads,
            "workers_per_app": args.workers,
            "seconds": args.seconds,
            "kill_at_s": round(load["kill_at"], 3),
            "app_a_gone_at_s": round(load["gone_at"], 3),
            "app_a_killed": load["app_a_killed"],
            "app_b_alive": apps["app-b"].poll() is None,
            **load_figures(driver.answers, args.seconds, load["kill_at"], load["gone_at"]),
            "split_before_kill": load["split_before_kill"],
            "split": access_split(out),
            "replica": replica_statements(replica),
            "transactions_during_load": {
                "primary": xacts(primary) - xacts_before["primary"],
                "replica": xacts(replica) - xacts_before["replica"],
            },
            "access_log_rows_written_primary": written,
            "access_log_rows_replicated": access_log(replica, since) == written,
            "replica_caught_up_after_load_s": round(lag, 2),
            "audit_verify": processes.run("audit", "verify", check=False),
            "tasks": task_results(primary, worker),
            "load_average": {"before": load["load_before"], "after": load["load_after"]},
        }
        return summary
    finally:
        if processes is not None:
            processes.close()
        replica.destroy()
        primary.destroy()


def task_results(primary: Node, worker: subprocess.Popen) -> dict:
    def done() -> bool:
        return (
            primary.value(
                "select count(*) from django_tasks_database_dbtaskresult where status not in ('SUCCESSFUL', 'FAILED')"
            )
            == "0"
            and int(primary.value("select count(*) from django_tasks_database_dbtaskresult")) >= 2
        )

    wait_for("the task worker finishing the sweep and the delivery", done, timeout=120)
    rows = primary.value(
        "select task_path, status, extract(epoch from finished_at - enqueued_at)::numeric(10,2) "
        "from django_tasks_database_dbtaskresult order by enqueued_at"
    )
    return {
        "results": rows.splitlines(),
        "outbox_rows": int(primary.value("select count(*) from notifications_delivery")),
        "worker_alive": worker.poll() is None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=6, help="signed-in professionals requesting pages")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per app master")
    parser.add_argument("--seconds", type=float, default=60, help="load time; app-a is killed halfway")
    parser.add_argument("--pg-bin", type=Path, default=PG_BIN)
    args = parser.parse_args()
    why = Node.available(args.pg_bin) or (
        None if (args.pg_bin / "pg_basebackup").exists() else f"{args.pg_bin / 'pg_basebackup'} is missing"
    )
    if why:
        print(f"topology: {why}", file=sys.stderr)
        return 2
    out = ROOT / "benchmarks/results/topology"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="koers-topology-"))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM cleans up like Ctrl-C
    try:
        summary = run(args, tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    ok = (
        summary["replica"]["statements"] > 0
        and summary["failed_before_kill"] == 0
        and summary["failed_started_after_kill"] == 0
        and summary["access_log_rows_replicated"]
        and summary["app_b_alive"]
        and summary["audit_verify"].startswith("exit 0:")
        and all(row.split("|")[1] == "SUCCESSFUL" for row in summary["tasks"]["results"])
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
