"""The app as `mentorbadges serve` runs it: gunicorn workers, concurrent writers."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler, OperationalError

SERVE_START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """The PostgreSQL test database when the suite runs there, else a file."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return f"sqlite:///{tmp_path / 'served.sqlite3'}"


class Served:
    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token

    def post(self, events: list[dict[str, Any]]) -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(
                "POST",
                "/api/v1/programs/north/events",
                json.dumps({"events": events}),
                {
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, json.loads(body) if response.status == 200 else body


@pytest.fixture
def served(transactional_db: None, tmp_path: Path) -> Iterator[Served]:
    """Two single-threaded workers: each request on a worker's main thread."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentorbadges.settings",
        "DATABASE_URL": _database_url(tmp_path),
        "MENTORBADGES_DATA_DIR": str(tmp_path),
        "MENTORBADGES_API_RATE_LIMIT": "100000",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "django", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    manage("migrate", "--verbosity", "0")
    manage("import", "--program", "north", str(empty))
    token = manage("token", "create", "--program", "north").strip()

    port = _free_port()
    command = ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = subprocess.Popen(
        [sys.executable, "-m", "django", *command, "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + SERVE_START_SECONDS
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("The server did not start.") from None
                time.sleep(0.2)
        yield Served(port, token)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _person(number: int) -> dict[str, Any]:
    return {
        "id": f"evt-{number}",
        "type": "participant.upserted",
        "occurred_at": "2026-01-01T00:00:00Z",
        "participant": {"id": f"p-{number}", "name": f"Person {number}"},
    }


def test_every_worker_answers_concurrent_posts_on_its_own_connection(
    served: Served,
) -> None:
    events = [_person(number) for number in range(96)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        first = list(pool.map(lambda event: served.post([event]), events))
        again = list(pool.map(lambda event: served.post([event]), events))

    assert [status for status, _ in first] == [200] * 96
    assert [body["results"][0]["status"] for _, body in first] == ["applied"] * 96
    assert [body["results"][0]["status"] for _, body in again] == ["duplicate"] * 96


@pytest.fixture
def unblocked(django_db_blocker: Any) -> Iterator[None]:
    """Connections the test makes itself, to a database of its own."""
    with django_db_blocker.unblock():
        yield


def test_a_sqlite_writer_waits_its_turn_however_long_the_first_holds_the_lock(
    tmp_path: Path, unblocked: None
) -> None:
    # A busy timeout far shorter than the first writer's transaction: polling
    # SQLite's lock would give up with "database is locked".
    databases = ConnectionHandler(
        {
            "default": {
                "ENGINE": "mentorbadges.lib.sqlite",
                "NAME": str(tmp_path / "line.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0.1},
            }
        }
    )
    setup = databases["default"]
    setup.cursor().execute("CREATE TABLE turns (writer TEXT)")
    setup.close()
    first_began = threading.Event()
    order: list[str] = []
    failures: list[OperationalError] = []

    def write(name: str, hold: float) -> None:
        db = databases["default"]
        try:
            db.set_autocommit(
                False, force_begin_transaction_with_broken_autocommit=True
            )
            first_began.set()
            db.cursor().execute("INSERT INTO turns VALUES (%s)", [name])
            time.sleep(hold)
            order.append(name)
            db.commit()
            db.set_autocommit(True)
        except OperationalError as error:
            failures.append(error)
        finally:
            db.close()

    first = threading.Thread(target=write, args=("first", 0.5))
    first.start()
    first_began.wait(timeout=10)
    second = threading.Thread(target=write, args=("second", 0))
    second.start()
    first.join()
    second.join()

    assert failures == []
    assert order == ["first", "second"]
    check = databases["default"]
    rows = check.cursor().execute("SELECT writer FROM turns").fetchall()
    check.close()
    assert sorted(row[0] for row in rows) == ["first", "second"]
