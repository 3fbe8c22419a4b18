from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mentorbadges.api.models import ApiToken
from mentorbadges.programs.models import Program
from tests.api.conftest import Api


def _run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_working_token_once_and_keeps_only_its_hash(
    program: Program,
) -> None:
    raw = _run("create", "--program", "north", "--name", "Platform").strip()

    token = ApiToken.objects.get(program=program)
    assert token.name == "Platform"
    assert raw not in (token.digest, token.prefix)
    assert raw.startswith(token.prefix)
    assert Api(raw).get("/programs/north/badges.csv").status_code == 200


def test_list_shows_prefixes_and_state_never_the_secret(program: Program) -> None:
    raw = _run("create", "--program", "north").strip()

    listing = _run("list", "--program", "north")

    assert raw[:12] in listing
    assert raw not in listing
    assert "live" in listing


def test_revoke_stops_the_token(program: Program) -> None:
    raw = _run("create", "--program", "north").strip()

    out = _run("revoke", "--program", "north", raw[:12])

    assert "Revoked 1 token" in out
    assert Api(raw).get("/programs/north/badges.csv").status_code == 401
    assert "revoked" in _run("list", "--program", "north")


def test_revoke_of_another_programs_token_is_refused(
    program: Program, other_program: Program
) -> None:
    raw = _run("create", "--program", "south").strip()

    with pytest.raises(CommandError, match="No live token"):
        _run("revoke", "--program", "north", raw[:12])


def test_an_unknown_program_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="No program"):
        _run("create", "--program", "nowhere")
