"""Profile import, recompute and the API batch path: where does the time go?

Usage: python -m bench.profile [--participants 2000] [--top 25]
       [--database sqlite|postgres]

Runs on a fresh database (a temporary SQLite file, or a PostgreSQL database
named mbbench_profile_<pid>, dropped after) and prints, for each path, the
functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
from pathlib import Path

POSTGRES = "postgres://postgres@127.0.0.1:5432"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="mbbench-profile-"))
    name = f"mbbench_profile_{os.getpid()}"
    if args.database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'profile.sqlite3'}"
    else:
        _admin(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{POSTGRES}/{name}"
    os.environ["MENTORBADGES_DATA_DIR"] = str(work)
    os.environ["MENTORBADGES_API_RATE_LIMIT"] = "1000000000"
    os.environ["MENTORBADGES_EMAIL_BACKEND"] = (
        "django.core.mail.backends.locmem.EmailBackend"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "mentorbadges.settings"
    try:
        _profile(args.participants, args.top)
    finally:
        if args.database == "postgres":
            from django.db import connections

            connections.close_all()
            _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0


def _profile(participants: int, top: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from mentorbadges.activity.services import import_lines, recompute
    from mentorbadges.api.models import ApiToken
    from mentorbadges.demo.generator import generate, to_json_lines
    from mentorbadges.programs.models import Program

    call_command("migrate", verbosity=0)
    lines = to_json_lines(generate(participants, months=12, seed=1))
    program = Program.objects.create(slug="bench", name="Bench", time_zone="UTC")
    _show(f"import ({len(lines):,} events)", top, import_lines, program, lines)
    _show("recompute", top, recompute, program)

    other = Program.objects.create(slug="api", name="API", time_zone="UTC")
    _, token = ApiToken.issue(other, "profile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="localhost")

    def send() -> None:
        for start in range(0, len(lines), 500):
            body = b'{"events":[' + b",".join(lines[start : start + 500]) + b"]}"
            client.post("/api/v1/programs/api/events", body, "application/json")

    _show("API, batches of 500", top, send)


def _show(title: str, top: int, action: object, *args: object) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(action, *args)  # type: ignore[arg-type]
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"\n## {title}\n", flush=True)
    text = out.getvalue()
    print(text[text.find("ncalls") :] if "ncalls" in text else text, flush=True)
    sys.stdout.flush()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(sql)  # type: ignore[arg-type]


if __name__ == "__main__":
    raise SystemExit(main())
