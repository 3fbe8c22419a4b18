"""One measurement, run in a fresh interpreter: python -m bench.worker TASK ARGS.

The database is named by DATABASE_URL; the result is written as JSON to the
file given by --result, with the seconds measured and this process's peak
memory. Tasks: migrate, limit, import, recompute, export, api, pinax, badgify,
million, pages, posts.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

Result = dict[str, Any]
SLUG = "bench"
KUDOS = ("trust", "networking", "expertise", "commitment", "creativity")


def peak_mb() -> float:
    """This process's peak resident memory.

    ru_maxrss keeps the parent's high-water mark across fork and exec, so it
    would report at least the runner's own size; VmHWM belongs to this image.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def database_url() -> str:
    return os.environ["DATABASE_URL"]


def is_sqlite() -> bool:
    return database_url().startswith("sqlite")


def sqlite_path() -> str:
    return database_url().removeprefix("sqlite:///")


def django_setup(settings: str = "mentorbadges.settings") -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


# The physical limit: the same rows, the fastest plain way, no Django --------


def _event_rows(path: Path, program_id: int, now: str) -> list[tuple[Any, ...]]:
    rows = []
    for raw in path.read_bytes().splitlines():
        event = json.loads(raw)
        rows.append(
            (
                program_id,
                event["id"],
                event["type"],
                event["occurred_at"],
                "",
                raw.decode(),
                hashlib.sha256(raw).hexdigest(),
                "file",
                now,
            )
        )
    return rows


def _participant_ids(path: Path) -> list[str]:
    seen: dict[str, None] = {}
    for raw in path.read_bytes().splitlines():
        if b'"participant.upserted"' in raw:
            seen[json.loads(raw)["participant"]["id"]] = None
    return list(seen)


EVENT_COLUMNS = (
    "program_id, event_id, type, occurred_at, subject, payload, fingerprint, "
    "source, received_at"
)
AWARD_COLUMNS = (
    "program_id, stable_key, badge, level, recipient_id, awarded_at, feedback, "
    "revoked_reason"
)
PARTICIPANT_COLUMNS = (
    "program_id, external_id, name, sort_name, email, named_at, active"
)


def limit(args: argparse.Namespace) -> Result:
    """Insert the file's event rows and as many award rows, without Django."""
    path = Path(args.file)
    now = datetime.now(UTC).isoformat()
    people = _participant_ids(path)
    events = _event_rows(path, 1, now)
    awards = [
        (1, f"limit:{i}", KUDOS[i % 5], 0, 1 + i % len(people), now, "", "")
        for i in range(args.awards)
    ]
    participants = [(1, p, p, p, "", now, True) for p in people]

    def insert_sqlite() -> None:
        db = sqlite3.connect(sqlite_path(), isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO programs_program (id, slug, name, time_zone, created_at) "
            "VALUES (1, 'bench', 'Bench', 'UTC', ?)",
            (now,),
        )
        db.executemany(
            f"INSERT INTO programs_participant ({PARTICIPANT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            participants,
        )
        db.executemany(
            f"INSERT INTO activity_event ({EVENT_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        db.executemany(
            f"INSERT INTO badges_award ({AWARD_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            awards,
        )
        db.execute("COMMIT")
        db.close()

    def insert_postgres() -> None:
        import psycopg

        with psycopg.connect(database_url()) as db, db.cursor() as cursor:
            cursor.execute(
                "INSERT INTO programs_program (id, slug, name, time_zone, created_at)"
                " VALUES (1, 'bench', 'Bench', 'UTC', %s)",
                (now,),
            )
            for table, columns, rows in (
                ("programs_participant", PARTICIPANT_COLUMNS, participants),
                ("activity_event", EVENT_COLUMNS, events),
                ("badges_award", AWARD_COLUMNS, awards),
            ):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

    seconds, _ = timed(insert_sqlite if is_sqlite() else insert_postgres)
    return {"seconds": seconds, "events": len(events), "awards": len(awards)}


# mentorbadges through its own commands and HTTP API --------------------------


def _export_digest() -> tuple[str, int]:
    from mentorbadges.programs.models import Program
    from mentorbadges.reports.csv import export_csv

    digest = hashlib.sha256()
    rows = 0
    for chunk in export_csv(Program.objects.get(slug=SLUG)):
        digest.update(chunk)
        rows += chunk.count(b"\r\n")
    return digest.hexdigest(), rows - 1


def import_file(args: argparse.Namespace) -> Result:
    django_setup()
    from django.core.management import call_command

    out = io.StringIO()
    seconds, _ = timed(
        lambda: call_command("import", "--program", SLUG, args.file, stdout=out)
    )
    memory = peak_mb()
    digest, rows = _export_digest()
    return {
        "seconds": seconds,
        "peak_mb": memory,
        "summary": out.getvalue().splitlines()[-1:],
        "export_sha256": digest,
        "export_rows": rows,
    }


def recompute(args: argparse.Namespace) -> Result:
    django_setup()
    from django.core.management import call_command

    out = io.StringIO()
    seconds, _ = timed(lambda: call_command("recompute", "--program", SLUG, stdout=out))
    memory = peak_mb()
    digest, _ = _export_digest()
    return {"seconds": seconds, "peak_mb": memory, "export_sha256": digest}


def export(args: argparse.Namespace) -> Result:
    """Time the export command, then the database's own CSV dump of the rows."""
    django_setup()
    from django.core.management import call_command

    target = Path(args.scratch) / "export.csv"
    seconds, _ = timed(
        lambda: call_command("export", "--program", SLUG, "--output", str(target))
    )
    memory = peak_mb()
    size = target.stat().st_size
    rows = target.read_bytes().count(b"\r\n") - 1
    target.unlink()
    dump_seconds = _database_dump()
    return {
        "seconds": seconds,
        "peak_mb": memory,
        "rows": rows,
        "bytes": size,
        "dump_seconds": dump_seconds,
    }


DUMP_QUERY = """
SELECT a.awarded_at, a.badge, a.level, r.external_id, r.name, g.name,
       l.external_id, a.feedback
FROM badges_award a
JOIN programs_participant r ON r.id = a.recipient_id
LEFT JOIN programs_participant g ON g.id = a.giver_id
LEFT JOIN programs_loop l ON l.id = a.loop_id
WHERE a.revoked_at IS NULL
ORDER BY a.awarded_at, a.stable_key
"""


def _database_dump() -> float:
    """The same standing rows, joined the same way, dumped by the database."""
    query = " ".join(DUMP_QUERY.split())
    if is_sqlite():
        start = time.perf_counter()
        subprocess.run(
            ["sqlite3", "-csv", sqlite_path(), query],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        return time.perf_counter() - start

    import psycopg

    with psycopg.connect(database_url()) as db, db.cursor() as cursor:
        start = time.perf_counter()
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy:
            for _ in copy:
                pass
        return time.perf_counter() - start


def _program_and_token() -> str:
    from mentorbadges.api.models import ApiToken
    from mentorbadges.programs.models import Program

    program, _ = Program.objects.get_or_create(
        slug=SLUG, defaults={"name": "Bench", "time_zone": "UTC"}
    )
    _, raw = ApiToken.issue(program, "bench")
    return raw


def api(args: argparse.Namespace) -> Result:
    """Send the file to the API in batches, through the whole HTTP stack."""
    django_setup()
    from django.test import Client

    token = _program_and_token()
    lines = Path(args.file).read_bytes().splitlines()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")
    url = f"/api/v1/programs/{SLUG}/events"

    def send() -> int:
        refused = 0
        for start in range(0, len(lines), args.batch):
            body = b'{"events":[' + b",".join(lines[start : start + args.batch]) + b"]}"
            response = client.post(url, body, content_type="application/json")
            if response.status_code != 200:
                raise RuntimeError(
                    f"{response.status_code}: {response.content[:300]!r}"
                )
            refused += sum(
                1 for r in response.json()["results"] if r["status"] == "rejected"
            )
        return refused

    seconds, refused = timed(send)
    memory = peak_mb()
    digest, _ = _export_digest()
    return {
        "seconds": seconds,
        "peak_mb": memory,
        "rejected": refused,
        "export_sha256": digest,
    }


# Peers ---------------------------------------------------------------------


def _peer_setup(
    args: argparse.Namespace,
) -> tuple[list[tuple[str, int, datetime]], int]:
    """Migrate the peer project; create one user per enrolment (not timed)."""
    django_setup("bench.peers.settings")
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    facts = json.loads(Path(args.facts).read_text())
    enrolments = sorted({(p, loop) for _, p, loop, _ in facts})
    User.objects.bulk_create(
        [User(username=f"{p}/{loop}"[:150]) for p, loop in enrolments],
        batch_size=2000,
    )
    ids = dict(User.objects.values_list("username", "id"))
    rows = [
        (kind, ids[f"{p}/{loop}"[:150]], datetime.fromisoformat(at))
        for kind, p, loop, at in facts
    ]
    return rows, len(enrolments)


def pinax(args: argparse.Namespace) -> Result:
    """Event by event: record the fact, then ask pinax to possibly award."""
    rows, users = _peer_setup(args)
    from django.contrib.auth.models import User
    from django.db import transaction
    from pinax.badges.models import BadgeAward
    from pinax.badges.registry import badges

    from bench.peers.engines import PinaxExcellence, PinaxMomentum
    from bench.peers.models import Activity

    badges.register(PinaxMomentum)
    badges.register(PinaxExcellence)
    people = User.objects.in_bulk()

    def run() -> None:
        for kind, user_id, at in rows:
            # One transaction per event, as a request handler would commit it.
            with transaction.atomic():
                user = people[user_id]
                Activity.objects.create(user=user, kind=kind, at=at)
                badges.possibly_award_badge(kind, user=user, force_timestamp=at)

    seconds, _ = timed(run)
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "facts": len(rows),
        "users": users,
        "awards": BadgeAward.objects.count(),
    }


def badgify(args: argparse.Namespace) -> Result:
    """Bulk: load the facts, then run badgify's award synchronisation."""
    rows, users = _peer_setup(args)
    from badgify.models import Award
    from badgify.registry import registry
    from django.core.management import call_command

    from bench.peers.engines import badgify_recipes
    from bench.peers.models import Activity

    registry.register(badgify_recipes())

    def run() -> None:
        Activity.objects.bulk_create(
            [Activity(user_id=u, kind=k, at=at) for k, u, at in rows],
            batch_size=2000,
        )
        call_command("badgify_sync", "badges")
        call_command("badgify_sync", "awards")

    seconds, _ = timed(run)
    return {
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "facts": len(rows),
        "users": users,
        "awards": Award.objects.count(),
    }


# A million awards: pages and export ----------------------------------------


def million(args: argparse.Namespace) -> Result:
    """Top an imported program up to the target with synthetic standing kudos.

    Synthetic participants join in 1:1 loops; each award is a kudos between
    the two members of a loop, so every row is one the service could hold.
    """
    django_setup()
    from django.db import connection

    from mentorbadges.badges.models import Award
    from mentorbadges.programs.models import Loop, Participant, Program

    program = Program.objects.get(slug=SLUG)
    have = Award.objects.filter(program=program).count()
    wanted = args.awards - have
    people = args.people
    rng = random.Random(5)
    start = datetime(2025, 1, 6, tzinfo=UTC)
    begin = time.perf_counter()
    Participant.objects.bulk_create(
        [
            Participant(
                program=program,
                external_id=f"syn_{i:06d}",
                name=f"Synthetic Person {i:06d}",
                sort_name=f"synthetic person {i:06d}",
                email="",
                named_at=start,
            )
            for i in range(people)
        ],
        batch_size=5000,
    )
    Loop.objects.bulk_create(
        [
            Loop(
                program=program,
                external_id=f"syn_loop_{i:06d}",
                kind="one_on_one",
                started_at=start,
                is_open=True,
            )
            for i in range(people // 2)
        ],
        batch_size=5000,
    )
    person_ids = list(
        Participant.objects.filter(external_id__startswith="syn_")
        .order_by("external_id")
        .values_list("id", flat=True)
    )
    loop_ids = list(
        Loop.objects.filter(external_id__startswith="syn_loop_")
        .order_by("external_id")
        .values_list("id", flat=True)
    )
    feedback = ("Thank you!", "Great session", "Clear and kind advice, thanks.", "")

    def rows() -> Iterator[tuple[Any, ...]]:
        for i in range(wanted):
            pair = rng.randrange(len(loop_ids))
            side = rng.randrange(2)
            recipient = person_ids[2 * pair + side]
            giver = person_ids[2 * pair + 1 - side]
            at = start + timedelta(seconds=rng.randrange(365 * 86400))
            badge = KUDOS[rng.randrange(5)]
            yield (
                program.pk,
                f"kudos:syn:{i:07d}",
                badge,
                0,
                recipient,
                giver,
                loop_ids[pair],
                at,
                feedback[rng.randrange(4)],
                "",
            )

    columns = (
        "program_id, stable_key, badge, level, recipient_id, giver_id, loop_id, "
        "awarded_at, feedback, revoked_reason"
    )
    with connection.cursor() as cursor:
        if is_sqlite():
            cursor.executemany(
                f"INSERT INTO badges_award ({columns}) VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (*r[:7], connection.ops.adapt_datetimefield_value(r[7]), *r[8:])
                    for r in rows()
                ],
            )
            cursor.execute("ANALYZE")
        else:
            raw = cursor.cursor
            with raw.copy(f"COPY badges_award ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - begin,
        "awards": Award.objects.filter(program=program).count(),
    }


def pages(args: argparse.Namespace) -> Result:
    """Time the Kudos summary and the All Badges first page, signed in as staff."""
    django_setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from mentorbadges.programs.models import Program, StaffRole

    program = Program.objects.get(slug=SLUG)
    user, _ = User.objects.get_or_create(username="bench-coordinator")
    StaffRole.objects.get_or_create(
        program=program, user=user, defaults={"role": StaffRole.COORDINATOR}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    found: Result = {"peak_mb": 0.0}
    for name, url in (
        ("summary", f"/p/{SLUG}/kudos/"),
        ("all_badges", f"/p/{SLUG}/kudos/all/?sort=recipient"),
    ):
        queries: list[tuple[float, str]] = []
        with connection.execute_wrapper(_recorder(queries)):
            first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url}: {first.status_code}")
        times = []
        for _ in range(args.hits):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        slowest_seconds, slowest_sql = max(queries)
        found[name] = {
            "p95": p95,
            "median": statistics.median(times),
            "min": times[0],
            "max": times[-1],
            "queries": len(queries),
            "slowest_query_seconds": slowest_seconds,
            "slowest_query": slowest_sql,
            "explain": _explain(slowest_sql) if p95 > args.budget else "",
        }
    found["peak_mb"] = peak_mb()
    return found


def _recorder(queries: list[tuple[float, str]]) -> Callable[..., Any]:
    """Record each query's duration and its text with the parameters in."""

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            cursor = context["cursor"]
            text = context["connection"].ops.last_executed_query(cursor, sql, params)
            queries.append((time.perf_counter() - start, text))

    return record


def _explain(sql: str) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if is_sqlite() else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


# Single events under concurrency --------------------------------------------


def posts(args: argparse.Namespace) -> Result:
    """Single-event POSTs from 32 threads against the served app on loopback."""
    django_setup()
    token = _program_and_token()
    from django.db import connections

    connections.close_all()
    port = args.port
    # The same command as `mentorbadges serve`: Django's, with our settings.
    log = (Path(args.scratch) / f"serve-{port}.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "serve", "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env=os.environ.copy(),
    )
    try:
        _wait_for(port)
        path = f"/api/v1/programs/{SLUG}/events"
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }

        def one(i: int) -> tuple[float, int]:
            event = {
                "id": f"evt_post_{i:06d}",
                "type": "participant.upserted",
                "occurred_at": "2025-06-01T12:00:00Z",
                "participant": {"id": f"p_post_{i:06d}", "name": f"Poster {i}"},
            }
            body = json.dumps({"events": [event]})
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start = time.perf_counter()
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            conn.close()
            return elapsed, response.status

        server_before = _tree_cpu(server.pid)
        machine_before = _machine_busy()
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            outcomes = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        machine_after = _machine_busy()
        server_cpu = _tree_cpu(server.pid) - server_before
        # Then the same clients at half the rate the server just sustained,
        # each request sent on a fixed schedule: the latency a client sees
        # when the server is busy but not saturated.
        rate = len(outcomes) / wall / 2
        paced = _paced(one, args.clients, rate, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    times = sorted(t for t, _ in outcomes)
    statuses = sorted({s for _, s in outcomes})
    requests = len(times)
    return {
        "p99": times[max(0, round(0.99 * len(times)) - 1)],
        "p50": statistics.median(times),
        "max": times[-1],
        "requests": requests,
        "statuses": statuses,
        "seconds": wall,
        "per_second": requests / wall,
        # The client shares the two cores with the server: its own CPU per
        # request is time the server could not use.
        "client_cpu_ms": 1000 * (_cpu(client_after) - _cpu(client_before)) / requests,
        "server_cpu_ms": 1000 * server_cpu / requests,
        "machine_busy_ms": 1000 * (machine_after - machine_before) / requests,
        "paced_rate": rate,
        "paced_p99": paced[max(0, round(0.99 * len(paced)) - 1)],
        "paced_p50": statistics.median(paced),
    }


def _paced(
    one: Callable[[int], tuple[float, int]], clients: int, rate: float, requests: int
) -> list[float]:
    """Send requests at a steady total rate from a pool of clients.

    Request n leaves at start + n / rate (open loop); its latency is counted
    from that moment, so time spent waiting for a free client counts too.
    """
    start = time.perf_counter() + 0.05

    def scheduled(n: int) -> float:
        due = start + n / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        one(requests + n)
        return time.perf_counter() - due

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return sorted(pool.map(scheduled, range(requests)))


def _tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (Linux)."""
    ticks = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        # The command name may hold spaces; the fields after it do not.
        fields = stat.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
        pending.extend(int(child) for child in children.split())
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _machine_busy() -> float:
    """CPU seconds all processes on the machine have used (database included)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(value) for value in fields]
    idle = ticks[3] + ticks[4]
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server on port {port} did not start.")


def migrate(args: argparse.Namespace) -> Result:
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {}


TASKS: dict[str, Callable[[argparse.Namespace], Result]] = {
    "migrate": migrate,
    "limit": limit,
    "import": import_file,
    "recompute": recompute,
    "export": export,
    "api": api,
    "pinax": pinax,
    "badgify": badgify,
    "million": million,
    "pages": pages,
    "posts": posts,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--result", required=True)
    parser.add_argument("--file", default="")
    parser.add_argument("--facts", default="")
    parser.add_argument("--scratch", default="/tmp")
    parser.add_argument("--awards", type=int, default=0)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--hits", type=int, default=20)
    parser.add_argument("--budget", type=float, default=0.2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=320)
    args = parser.parse_args(argv)
    result = TASKS[args.task](args)
    result.setdefault("peak_mb", peak_mb())
    Path(args.result).write_text(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
