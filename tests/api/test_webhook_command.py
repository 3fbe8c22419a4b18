from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mentorbadges.api.models import Webhook
from mentorbadges.programs.models import Program


def _run(*args: str) -> str:
    out = StringIO()
    call_command("webhook", *args, stdout=out)
    return out.getvalue()


def test_add_registers_the_url_and_prints_its_secret(program: Program) -> None:
    out = _run("add", "--program", "north", "https://platform.example/hooks")

    hook = Webhook.objects.get(program=program)
    assert hook.url == "https://platform.example/hooks"
    assert hook.secret in out
    assert "https://platform.example/hooks" in _run("list", "--program", "north")


def test_an_address_that_is_not_http_is_refused(program: Program) -> None:
    with pytest.raises(CommandError, match="not an http or https address"):
        _run("add", "--program", "north", "file:///etc/passwd")


def test_remove_stops_the_webhook(program: Program) -> None:
    _run("add", "--program", "north", "https://platform.example/hooks")
    hook = Webhook.objects.get(program=program)

    _run("remove", "--program", "north", str(hook.pk))

    hook.refresh_from_db()
    assert not hook.active
    assert _run("list", "--program", "north") == ""


def test_a_webhook_of_another_program_cannot_be_removed(
    program: Program, other_program: Program
) -> None:
    hook = Webhook.register(other_program, "https://elsewhere.example/")

    with pytest.raises(CommandError, match="No webhook"):
        _run("remove", "--program", "north", str(hook.pk))
