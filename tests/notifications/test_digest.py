import io

from django.core import mail
from django.core.management import call_command

from mentorbadges.notifications.models import DigestRun
from mentorbadges.programs.models import Program
from tests.history import History
from tests.notifications.conftest import load, pair_history, staff


def digest(*args: str) -> str:
    out = io.StringIO()
    call_command("digest", *args, stdout=out)
    return out.getvalue()


def loaded(program: Program, history: History) -> None:
    pair_history(history)
    history.person("cleo")
    history.person("dan")
    history.pair("l2", "cleo", "dan")
    history.meeting("l1", "m0", day=2)
    history.kudos("l1", "ben", "ana", day=3, feedback="<i>Thanks</i>")
    history.meeting("l2", "m1", day=2)
    load(program, history.events)


def test_the_digest_goes_to_each_staff_member_with_an_address(
    program: Program, history: History
) -> None:
    loaded(program, history)
    staff(program, "coord", "coord@example.org")
    staff(program, "admin", "admin@example.org")
    staff(program, "silent")

    output = digest("--program", "north")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.org",
        "coord@example.org",
    ]
    assert "to 2 staff members" in output


def test_the_digest_has_the_health_highlights(
    program: Program, history: History
) -> None:
    loaded(program, history)
    staff(program, "coord", "coord@example.org")

    digest("--program", "north")

    [message] = mail.outbox
    assert message.subject.startswith("North Mentoring: program health, week ")
    assert "Loops with at least one kudos: 50% (1 of 2)" in message.body
    assert "Met, but no kudos yet: 1 loop" in message.body
    assert "l2: Cleo, Dan" in message.body
    assert "http://127.0.0.1:8000/p/north/health/" in message.body
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert "<strong>50%</strong>" in html


def test_a_second_run_in_the_same_week_sends_nothing(
    program: Program, history: History
) -> None:
    loaded(program, history)
    staff(program, "coord", "coord@example.org")
    digest()

    output = digest()

    assert len(mail.outbox) == 1
    assert "Skipped 'north': already sent for" in output
    assert DigestRun.objects.get(program=program).recipients == 1


def test_force_sends_again_the_same_week(program: Program, history: History) -> None:
    loaded(program, history)
    staff(program, "coord", "coord@example.org")
    digest()

    digest("--force")

    assert len(mail.outbox) == 2


def test_staff_of_another_program_get_no_digest_of_this_one(
    program: Program, other_program: Program, history: History
) -> None:
    loaded(program, history)
    staff(other_program, "south", "south@example.org")

    output = digest()

    assert mail.outbox[0].subject.startswith("South Mentoring")
    assert len(mail.outbox) == 1
    assert "Skipped 'north': no staff member has an e-mail address." in output
