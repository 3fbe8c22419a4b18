"""Run the benchmark and print a table: python -m bench.run [--quick].

Each measurement runs in its own interpreter on its own fresh database (a
copy of a migrated SQLite file, or a PostgreSQL database made from a migrated
template), repeated; the table gives medians, min-max and ratios measured
pair by pair within the same repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.facts import expected
from mentorbadges.demo.generator import generate, to_json_lines

POSTGRES = "postgres://postgres@127.0.0.1:5432"
# E-mails are built and kept in memory: their cost counts, no one is sent any.
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Database:
    """Fresh databases of one kind, copied from a migrated template."""

    kind: str
    work: Path
    prefix: str
    made: int = 0
    template: str = ""
    peer_template: str = ""
    live: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.work / (name + '.sqlite3')}"
        return f"{POSTGRES}/{name}"

    def prepare(self, runner: Runner) -> None:
        self.template = self._new_name("tpl")
        if self.kind == "postgres":
            self._admin(f"CREATE DATABASE {self.template}")
            self.live.append(self.template)
        runner.worker("migrate", self.url(self.template))
        if self.kind == "sqlite":
            _checkpoint(self.url(self.template))

    def fresh(self, empty: bool = False) -> str:
        name = self._new_name("run")
        if self.kind == "sqlite":
            if not empty:
                shutil.copyfile(
                    self.url(self.template).removeprefix("sqlite:///"),
                    self.url(name).removeprefix("sqlite:///"),
                )
        else:
            template = "template0" if empty else self.template
            self._admin(f"CREATE DATABASE {name} TEMPLATE {template}")
            self.live.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        if self.kind == "sqlite":
            path = Path(url.removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            return
        name = url.rsplit("/", 1)[1]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self.live:
            self.live.remove(name)

    def close(self) -> None:
        for name in list(self.live):
            self.drop(self.url(name))

    def _new_name(self, role: str) -> str:
        self.made += 1
        return f"{self.prefix}_{role}{self.made}"

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
            db.execute(sql)  # type: ignore[arg-type]


def _checkpoint(url: str) -> None:
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


class Runner:
    """Starts workers and keeps the results."""

    def __init__(self, work: Path, verbose: bool) -> None:
        self.work = work
        self.verbose = verbose
        self.count = 0

    def worker(self, task: str, url: str, **options: Any) -> dict[str, Any]:
        self.count += 1
        result = self.work / f"result{self.count}.json"
        command = [sys.executable, "-m", "bench.worker", task, "--result", str(result)]
        for key, value in options.items():
            command += [f"--{key}", str(value)]
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MENTORBADGES_DATA_DIR": str(self.work / "data"),
            "MENTORBADGES_API_RATE_LIMIT": "1000000000",
            "MENTORBADGES_EMAIL_BACKEND": LOCMEM_EMAIL,
            "PYTHONPATH": str(ROOT),
        }
        started = time.perf_counter()
        done = subprocess.run(
            command, env=env, cwd=self.work, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"{task} failed:\n{done.stderr[-3000:]}")
        found: dict[str, Any] = json.loads(result.read_text())
        result.unlink()
        if self.verbose:
            print(
                f"  {task:<10} {time.perf_counter() - started:7.1f}s",
                {k: v for k, v in found.items() if not isinstance(v, dict | str)},
                file=sys.stderr,
                flush=True,
            )
        return found


@dataclass
class SizeData:
    participants: int
    file: Path
    facts: Path
    events: int
    export_sha256: str
    export_rows: int
    peer_awards: int


def prepare_size(work: Path, participants: int) -> SizeData:
    lines = to_json_lines(generate(participants, months=12, seed=1))
    file = work / f"history-{participants}.jsonl"
    file.write_bytes(b"\n".join(lines) + b"\n")
    found = expected(line.decode() for line in lines)
    facts = work / f"facts-{participants}.json"
    facts.write_text(json.dumps(found.facts))
    return SizeData(
        participants,
        file,
        facts,
        len(lines),
        found.export_sha256,
        found.export_rows,
        found.peer_awards,
    )


Samples = dict[str, list[dict[str, Any]]]


def measure_repeat(
    runner: Runner,
    db: Database,
    size: SizeData,
    samples: Samples,
    *,
    peers: bool = True,
    api: bool = True,
) -> None:
    """One repeat of every per-size measure, each on its own fresh database."""

    def keep(name: str, value: dict[str, Any]) -> None:
        samples.setdefault(name, []).append(value)

    url = db.fresh()
    keep("limit", runner.worker("limit", url, file=size.file, awards=size.export_rows))
    db.drop(url)

    url = db.fresh()
    keep("import", runner.worker("import", url, file=size.file))
    keep("recompute", runner.worker("recompute", url))
    keep("export", runner.worker("export", url, scratch=runner.work))
    db.drop(url)

    if api:
        url = db.fresh()
        keep("api", runner.worker("api", url, file=size.file, batch=500))
        db.drop(url)

    if peers:
        for peer in ("badgify", "pinax"):
            url = db.fresh(empty=True)
            keep(peer, runner.worker(peer, url, facts=size.facts))
            db.drop(url)


def measure_million(
    runner: Runner, db: Database, size: SizeData, awards: int
) -> dict[str, Any]:
    url = db.fresh()
    try:
        runner.worker("import", url, file=size.file)
        filled = runner.worker(
            "million", url, awards=awards, people=max(1000, awards // 20)
        )
        exported = runner.worker("export", url, scratch=runner.work)
        shown = runner.worker("pages", url, hits=20)
        return {"fill": filled, "export": exported, "pages": shown}
    finally:
        db.drop(url)


def measure_posts(runner: Runner, db: Database, size: SizeData) -> dict[str, Any]:
    url = db.fresh()
    try:
        runner.worker("import", url, file=size.file)
        return runner.worker(
            "posts", url, port=_free_port(), requests=320, scratch=runner.work
        )
    finally:
        db.drop(url)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The table -----------------------------------------------------------------


def _posts_cpu(found: dict[str, Any]) -> str:
    """Throughput and CPU per request: server, the client itself, whole machine."""
    if "server_cpu_ms" not in found:
        return ""
    return (
        f"; {found['per_second']:.0f} req/s; CPU ms a request: server "
        f"{found['server_cpu_ms']:.1f}, client {found['client_cpu_ms']:.1f}, "
        f"machine {found['machine_busy_ms']:.1f}"
    )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}" if values else ""


def pair_ratio(samples: Samples, top: str, bottom: str, key: str = "seconds") -> str:
    """Median of ratios taken within each repeat, with their min-max."""
    tops = samples.get(top, [])
    bottoms = samples.get(bottom, [])
    ratios = [
        a[key] / b["seconds"]
        for a, b in zip(tops, bottoms, strict=False)
        if b["seconds"]
    ]
    if not ratios:
        return ""
    return f"{median(ratios):.1f}x ({min(ratios):.1f}-{max(ratios):.1f})"


def ratio_value(samples: Samples, top: str, bottom: str, key: str = "seconds") -> float:
    tops = samples.get(top, [])
    bottoms = samples.get(bottom, [])
    ratios = [
        a[key] / b["seconds"]
        for a, b in zip(tops, bottoms, strict=False)
        if b["seconds"]
    ]
    return median(ratios)


def size_rows(kind: str, size: SizeData, samples: Samples) -> list[list[str]]:
    rows = []
    for name, label in (
        ("limit", "raw insert (limit)"),
        ("import", "mentorbadges import"),
        ("recompute", "mentorbadges recompute"),
        ("export", "mentorbadges CSV export"),
        ("api", "mentorbadges API, batches of 500"),
        ("badgify", "django-badgify (bulk)"),
        ("pinax", "pinax-badges (per event)"),
    ):
        runs = samples.get(name)
        if not runs:
            continue
        seconds = [r["seconds"] for r in runs]
        memory = [r.get("peak_mb", 0.0) for r in runs]
        events = size.events if name not in ("badgify", "pinax") else runs[0]["facts"]
        versus_limit = pair_ratio(samples, name, "limit") if name != "limit" else ""
        versus_peer = ""
        target = ""
        if name == "import":
            versus_peer = (
                f"badgify {pair_ratio(samples, 'import', 'badgify')}, "
                f"pinax {pair_ratio(samples, 'import', 'pinax')}"
                if "badgify" in samples
                else ""
            )
            value = ratio_value(samples, "import", "limit")
            target = f"<=3x limit: {'met' if value <= 3 else 'missed'}"
        elif name == "recompute":
            value = ratio_value(samples, "recompute", "import")
            target = (
                f"<=2x import ({pair_ratio(samples, 'recompute', 'import')}): "
                f"{'met' if value <= 2 else 'missed'}"
            )
        elif name == "export":
            dumps = [r["dump_seconds"] for r in runs]
            ratios = [r["seconds"] / r["dump_seconds"] for r in runs]
            value = median(ratios)
            target = (
                f"<=2x DB dump ({value:.1f}x, dump {median(dumps):.2f}s"
                f", {runs[0]['rows']} rows): {'met' if value <= 2 else 'missed'}"
            )
            events = runs[0]["rows"]
        elif name == "api":
            value = ratio_value(samples, "api", "import")
            target = (
                f"<=1.5x import ({pair_ratio(samples, 'api', 'import')}): "
                f"{'met' if value <= 1.5 else 'missed'}"
            )
        elif name in ("badgify", "pinax"):
            target = f"{runs[0]['awards']} awards (oracle {size.peer_awards})"
        rows.append(
            [
                kind,
                f"{size.participants:,}",
                label,
                f"{median(seconds):.2f}",
                spread(seconds),
                f"{events / median(seconds):,.0f}",
                f"{max(memory):.0f}",
                versus_limit,
                versus_peer,
                target,
            ]
        )
    return rows


HEADER = [
    "database",
    "participants",
    "measure",
    "median s",
    "min-max s",
    "rows/s",
    "peak MB",
    "x limit",
    "import x peer",
    "target / check",
]


def markdown(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def checks(kind: str, size: SizeData, samples: Samples) -> list[str]:
    """Compare each path's export with the oracle's and with each other."""
    notes = []
    for name in ("import", "recompute", "api"):
        for index, run in enumerate(samples.get(name, []), start=1):
            same = run["export_sha256"] == size.export_sha256
            notes.append(
                f"{kind} {size.participants:,} {name} #{index}: export "
                f"{'equals' if same else 'DIFFERS FROM'} the oracle's"
            )
    return notes


def million_rows(kind: str, found: dict[str, Any]) -> list[list[str]]:
    rows = []
    export = found["export"]
    met = export["seconds"] <= 2 * export["dump_seconds"]
    rows.append(
        [
            kind,
            f"{found['fill']['awards']:,} awards",
            "CSV export / DB dump",
            f"{export['seconds']:.2f} / {export['dump_seconds']:.2f} s",
            f"{export['seconds'] / export['dump_seconds']:.1f}x the dump "
            f"({'met' if met else 'missed'})",
            f"{export['peak_mb']:.0f} MB",
        ]
    )
    for name, label in (("summary", "Kudos summary"), ("all_badges", "All Badges")):
        page = found["pages"][name]
        rows.append(
            [
                kind,
                f"{found['fill']['awards']:,} awards",
                label,
                f"p95 {page['p95'] * 1000:.0f} ms (median {page['median'] * 1000:.0f})",
                f"{'met' if page['p95'] < 0.2 else 'missed'} (< 200 ms)",
                f"{page['queries']} queries",
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="2000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--million", type=int, default=1_000_000)
    parser.add_argument("--million-size", type=int, default=0)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-posts", action="store_true")
    parser.add_argument(
        "--no-sizes", action="store_true", help="only the POSTs and the pages"
    )
    parser.add_argument(
        "--peers-up-to",
        type=int,
        default=2000,
        help="run the peers only at sizes up to this many participants",
    )
    parser.add_argument(
        "--peer-repeats",
        type=int,
        default=1,
        help="run the peers in this many of the repeats (the first ones)",
    )
    parser.add_argument(
        "--api-up-to",
        type=int,
        default=10000,
        help="run the API batches only at sizes up to this many participants",
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--work", help="folder for files and SQLite databases")
    parser.add_argument("--json", help="save the results here as they come")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--report", help="print the tables of a saved run and stop")
    args = parser.parse_args(argv)
    if args.report:
        return report(args.report)
    if args.quick:
        args.sizes, args.repeat, args.databases = "2000", 1, "sqlite"
        args.no_pages = args.no_posts = True

    work = Path(args.work or tempfile.mkdtemp(prefix="mbbench-"))
    work.mkdir(parents=True, exist_ok=True)
    runner = Runner(work, args.verbose)
    sizes = [int(s) for s in args.sizes.split(",")]
    prefix = f"mbbench_{os.getpid()}"

    data = {}
    for participants in sizes:
        started = time.perf_counter()
        data[participants] = prepare_size(work, participants)
        if args.verbose:
            print(
                f"generated {participants:,} participants: "
                f"{data[participants].events:,} events "
                f"({time.perf_counter() - started:.0f}s with the oracle)",
                file=sys.stderr,
            )

    state: dict[str, Any] = {
        "run": f"repeats {args.repeat}; sizes {args.sizes}; databases {args.databases}",
        "sizes": {str(p): _size_json(d) for p, d in data.items()},
        "samples": {},
        "extras": {},
    }
    results = Path(args.json) if args.json else work / "results.json"

    def save() -> None:
        state["machine"] = _machine()
        results.write_text(json.dumps(state, indent=1, default=str))

    databases = [
        Database(kind, work, f"{prefix}_{kind[:2]}")
        for kind in args.databases.split(",")
    ]
    try:
        for db in databases:
            db.prepare(runner)
        for participants in [] if args.no_sizes else sizes:
            for repeat in range(args.repeat):
                for db in databases:
                    if args.verbose:
                        print(
                            f"{db.kind} {participants:,} #{repeat + 1}",
                            file=sys.stderr,
                        )
                    samples = state["samples"].setdefault(
                        f"{db.kind}-{participants}", {}
                    )
                    measure_repeat(
                        runner,
                        db,
                        data[participants],
                        samples,
                        peers=not args.no_peers
                        and participants <= args.peers_up_to
                        and repeat < args.peer_repeats,
                        api=not args.no_api and participants <= args.api_up_to,
                    )
                    save()
        for db in databases:
            if not args.no_posts:
                found = measure_posts(runner, db, data[sizes[0]])
                state["extras"][f"{db.kind}-posts"] = found
                save()
            if not args.no_pages:
                base = data[args.million_size or sizes[-1]]
                found = measure_million(runner, db, base, args.million)
                state["extras"][f"{db.kind}-million"] = found
                save()
    finally:
        for db in databases:
            db.close()

    print(render(state))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _machine() -> str:
    return (
        f"{platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f} when saved, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def _size_json(size: SizeData) -> dict[str, Any]:
    return {**size.__dict__, "file": str(size.file), "facts": str(size.facts)}


def render(state: dict[str, Any]) -> str:
    """The tables and checks of a run, from its saved results."""
    rows: list[list[str]] = []
    notes: list[str] = []
    extra: list[list[str]] = []
    for key, samples in state["samples"].items():
        kind, participants = key.split("-")
        size = SizeData(**state["sizes"][participants])
        rows += size_rows(kind, size, samples)
        notes += checks(kind, size, samples)
        for peer in ("badgify", "pinax"):
            for run in samples.get(peer, []):
                same = run["awards"] == size.peer_awards
                notes.append(
                    f"{kind} {size.participants:,} {peer}: {run['awards']} awards, "
                    f"{'as' if same else 'NOT as'} the oracle's "
                    f"{size.peer_awards} Momentum/Excellence"
                )
    for key, found in state["extras"].items():
        kind, what = key.split("-")
        if what == "posts":
            extra.append(
                [
                    kind,
                    f"{found['requests']} single-event POSTs, 32 clients",
                    "API POST latency",
                    f"p99 {found['p99'] * 1000:.0f} ms "
                    f"(median {found['p50'] * 1000:.0f})",
                    f"{'met' if found['p99'] < 0.05 else 'missed'} (< 50 ms)",
                    f"statuses {found['statuses']}{_posts_cpu(found)}",
                ]
            )
            if "paced_p99" in found:
                extra.append(
                    [
                        kind,
                        f"{found['requests']} POSTs at {found['paced_rate']:.0f}/s, "
                        "32 clients",
                        "API POST latency, half the rate sustained",
                        f"p99 {found['paced_p99'] * 1000:.0f} ms "
                        f"(median {found['paced_p50'] * 1000:.0f})",
                        f"{'met' if found['paced_p99'] < 0.05 else 'missed'} (< 50 ms)",
                        "sent on a fixed schedule, timed from when each was due",
                    ]
                )
            continue
        extra += million_rows(kind, found)
        for name in ("summary", "all_badges"):
            page = found["pages"][name]
            if page["explain"]:
                notes.append(
                    f"{kind} {name}: slowest query "
                    f"{page['slowest_query_seconds'] * 1000:.0f} ms:\n"
                    f"    {page['slowest_query']}\n"
                    + "\n".join("    " + line for line in page["explain"].splitlines())
                )
    out = [f"mentorbadges benchmark - {state.get('machine', '')}", state["run"], ""]
    out.append(markdown(rows, HEADER))
    if extra:
        out += ["", markdown(extra, EXTRA_HEADER)]
    out.append("")
    out += [f"- {note}" for note in notes]
    return "\n".join(out)


EXTRA_HEADER = ["database", "data", "measure", "figure", "target", "notes"]


def report(path: str) -> int:
    print(render(json.loads(Path(path).read_text())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
