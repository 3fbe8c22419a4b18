"""The import, export, recompute and demo commands, as a user runs them."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Participant, Program, StaffRole


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def export_bytes(slug: str, tmp_path: Path) -> bytes:
    target = tmp_path / f"{slug}.csv"
    run("export", "--program", slug, "--output", str(target))
    return target.read_bytes()


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    """The published example: ana and ben, with every kind of problem once."""
    lines = [
        {
            "id": "e-001",
            "type": "participant.upserted",
            "occurred_at": "2026-02-02T09:00:00Z",
            "participant": {
                "id": "ana",
                "name": "Ana Example",
                "email": "ana@example.org",
            },
        },
        {
            "id": "e-002",
            "type": "participant.upserted",
            "occurred_at": "2026-02-02T09:00:00Z",
            "participant": {"id": "ben", "name": "Ben Example"},
        },
        {
            "id": "e-003",
            "type": "loop.started",
            "occurred_at": "2026-02-03T10:00:00Z",
            "loop": "loop-1",
            "kind": "one_to_one",
            "members": [
                {"participant": "ana", "role": "mentor"},
                {"participant": "ben", "role": "mentee"},
            ],
        },
        {
            "id": "e-004",
            "type": "kudos.given",
            "occurred_at": "2026-02-04T10:00:00Z",
            "loop": "loop-1",
            "giver": "ben",
            "recipient": "ana",
            "category": "trust",
            "feedback": "Thanks for making time",
        },
        {
            "id": "e-005",
            "type": "meeting.completed",
            "occurred_at": "2026-02-10T16:00:00+01:00",
            "loop": "loop-1",
            "meeting": "m-1",
        },
        {
            "id": "e-006",
            "type": "survey.submitted",
            "occurred_at": "2026-02-10T18:30:00+01:00",
            "loop": "loop-1",
            "survey": "post_meeting",
            "respondent": "ben",
            "score": 5,
            "meeting": "m-1",
        },
        {
            "id": "e-007",
            "type": "kudos.given",
            "occurred_at": "2026-02-10T18:35:00+01:00",
            "loop": "loop-1",
            "giver": "ben",
            "recipient": "ana",
            "category": "trust",
            "feedback": "You made it easy to ask anything",
        },
        {
            "id": "e-008",
            "type": "course.completed",
            "occurred_at": "2026-02-12T08:00:00Z",
            "participant": "ana",
            "passed": True,
        },
        {
            "id": "e-005",
            "type": "meeting.completed",
            "occurred_at": "2026-02-10T16:00:00+01:00",
            "loop": "loop-1",
            "meeting": "m-1",
        },
        {
            "id": "e-013",
            "type": "kudos.given",
            "occurred_at": "2026-03-18T09:00:00Z",
            "loop": "loop-1",
            "giver": "ana",
            "recipient": "ana",
            "category": "expertise",
        },
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_import_creates_the_program_and_reports_each_rejection_by_line(
    db: None, example_file: Path
) -> None:
    out = run("import", "--program", "north", str(example_file))

    assert "Created the program 'north'." in out
    assert "7 applied, 1 duplicate, 2 rejected; 3 awards granted." in out
    assert "line 4 (e-004): no_meeting_yet:" in out
    assert "line 10 (e-013): self_kudos:" in out
    assert Program.objects.get(slug="north").time_zone == "UTC"


def test_export_writes_the_published_example_byte_for_byte(
    db: None, example_file: Path, tmp_path: Path
) -> None:
    run("import", "--program", "north", str(example_file))

    assert (
        export_bytes("north", tmp_path)
        == (
            "\ufeffawarded_at,type,badge,level,recipient_id,recipient_name,giver_id,"
            "giver_name,loop_id,feedback\r\n"
            "2026-02-10T17:30:00+00:00,Achievement,Growing Together,,ben,Ben Example"
            ",,,loop-1,\r\n"
            "2026-02-10T17:35:00+00:00,Kudos,Trust,,ana,Ana Example,ben,Ben Example,"
            "loop-1,You made it easy to ask anything\r\n"
            "2026-02-12T08:00:00+00:00,Achievement,Certified,,ana,Ana Example,,,,\r\n"
        ).encode()
    )


def test_export_shows_times_in_the_program_time_zone(
    db: None, example_file: Path, tmp_path: Path
) -> None:
    run(
        "import", "--program", "paris", "--time-zone", "Europe/Paris", str(example_file)
    )

    assert b"2026-02-12T09:00:00+01:00,Achievement,Certified" in export_bytes(
        "paris", tmp_path
    )


def test_importing_the_same_file_again_changes_nothing(
    db: None, example_file: Path, tmp_path: Path
) -> None:
    run("import", "--program", "north", str(example_file))
    first = export_bytes("north", tmp_path)
    events = Event.objects.count()

    out = run("import", "--program", "north", str(example_file))

    assert "0 applied, 8 duplicate, 2 rejected" in out
    assert Event.objects.count() == events
    assert Rejection.objects.count() == 2
    assert export_bytes("north", tmp_path) == first


def test_recompute_grants_nothing_on_a_history_already_in_line(
    db: None, example_file: Path
) -> None:
    run("import", "--program", "north", str(example_file))
    awards = list(Award.objects.values_list("pk", "awarded_at", "revoked_at"))

    assert "0 awards granted" in run("recompute", "--program", "north")
    assert list(Award.objects.values_list("pk", "awarded_at", "revoked_at")) == awards


def test_unreadable_lines_are_rejected_with_their_line_and_the_rest_applies(
    db: None, tmp_path: Path
) -> None:
    good = {
        "id": "p1",
        "type": "participant.upserted",
        "occurred_at": "2026-01-01T00:00:00Z",
        "participant": {"id": "ana", "name": "Ana"},
    }
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(good).encode()
        + b"\n\n{not json\n\xff\xfe broken\n"
        + b'{"id": "x", "id": "y"}\n'
        + b"[1, 2]\n"
    )

    out = run("import", "--program", "north", str(path))

    assert "1 applied, 0 duplicate, 4 rejected" in out
    assert "line 3: invalid_json:" in out
    assert "line 4: invalid_encoding:" in out
    assert "line 5: invalid_json: The key 'id' appears twice." in out
    assert "line 6: invalid_event:" in out
    assert Participant.objects.get().name == "Ana"
    assert sorted(Rejection.objects.values_list("line", flat=True)) == [3, 4, 5, 6]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "--program", "north", "/no/such/file"], "does not exist"),
        (["import", "--program", "Not A Slug", "x"], "not a valid slug"),
        (
            ["import", "--program", "north", "--time-zone", "Mars/Olympus", "x"],
            "not a known time zone",
        ),
        (["export", "--program", "nowhere"], "No program with the slug 'nowhere'"),
        (["recompute", "--program", "nowhere"], "No program with the slug 'nowhere'"),
    ],
)
def test_bad_command_input_gets_a_clear_error_and_changes_nothing(
    db: None, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Program.objects.exists()


def test_demo_loads_a_program_once_and_prints_working_sign_ins(db: None) -> None:
    out = run("demo", "--no-serve", "--participants", "40")

    program = Program.objects.get(slug="demo")
    assert Award.objects.filter(program=program).count() > 40
    users = get_user_model()
    for line in out.splitlines():
        if " user " in line and " password " in line:
            username = line.split(" user ")[1].split()[0]
            password = line.split(" password ")[1].strip()
            assert users.objects.get(username=username).check_password(password)
    assert StaffRole.objects.filter(program=program, user__username="coordinator")
    assert Participant.objects.get(user__username="participant").program == program

    events = Event.objects.count()
    again = run("demo", "--no-serve")
    assert "Reusing the demo program" in again
    assert Event.objects.count() == events


def test_a_line_whose_time_key_is_written_with_escapes_is_still_ordered(
    db: None, tmp_path: Path
) -> None:
    people = [
        {
            "id": f"p-{who}",
            "type": "participant.upserted",
            "occurred_at": "2026-01-01T00:00:00Z",
            "participant": {"id": who, "name": who},
        }
        for who in ("ana", "ben")
    ]
    meeting = (
        '{"id": "m", "type": "meeting.completed", '
        '"occurred\\u005fat": "2026-01-03T00:00:00Z", "loop": "l", "meeting": "m-1"}'
    )
    started = {
        "id": "l",
        "type": "loop.started",
        "occurred_at": "2026-01-02T00:00:00Z",
        "loop": "l",
        "kind": "one_to_one",
        "members": [
            {"participant": "ana", "role": "mentor"},
            {"participant": "ben", "role": "mentee"},
        ],
    }
    path = tmp_path / "escaped.jsonl"
    lines = [meeting, *(json.dumps(e) for e in people), json.dumps(started)]
    path.write_text("\n".join(lines) + "\n")

    assert "4 applied, 0 duplicate, 0 rejected" in run(
        "import", "--program", "north", str(path)
    )


def test_the_first_import_into_a_new_database_creates_its_tables(
    example_file: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "MENTORBADGES_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "mentorbadges.settings",
    }
    command = [sys.executable, "-m", "django"]
    done = subprocess.run(
        [*command, "import", "--program", "first", str(example_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Created the program 'first'." in done.stdout

    exported = subprocess.run(
        [*command, "export", "--program", "first"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.count(b"\r\n") > 1


def test_a_file_read_from_stdin_with_crlf_line_ends_imports_in_time_order(
    db: None, example_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_order = run("import", "--program", "north", str(example_file)).splitlines()
    lines = example_file.read_bytes().splitlines()
    shuffled = b"\r\n".join(reversed(lines)) + b"\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(shuffled)))

    from_stdin = run("import", "--program", "south", "-").splitlines()

    assert from_stdin[1] == in_order[1]
    assert export_bytes("south", tmp_path) == export_bytes("north", tmp_path)


def test_a_folder_given_as_the_file_is_named_as_such(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a folder; give the file to import"):
        run("import", "--program", "north", str(tmp_path))
    assert not Program.objects.exists()


def test_naming_an_existing_program_again_is_said_to_change_nothing(
    db: None, example_file: Path
) -> None:
    zone = ("--time-zone", "Europe/Paris")
    run("import", "--program", "north", *zone, str(example_file))
    errors = io.StringIO()

    call_command(
        "import",
        "--program",
        "north",
        "--name",
        "Renamed",
        "--time-zone",
        "Asia/Tokyo",
        str(example_file),
        stdout=io.StringIO(),
        stderr=errors,
    )

    assert "exists already: --name and --time-zone" in errors.getvalue()
    program = Program.objects.get(slug="north")
    assert (program.name, program.time_zone) == ("North", "Europe/Paris")
