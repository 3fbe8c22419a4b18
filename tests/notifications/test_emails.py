import io
import re
import socket
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from mentorbadges.badges.models import Award
from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.notifications.models import Email
from mentorbadges.notifications.services import (
    participant_from_token,
    send_queued,
    set_emails,
)
from mentorbadges.programs.models import Participant, Program
from tests.conftest import post_events
from tests.history import History, at
from tests.notifications.conftest import Commit, load, pair_history


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def met(program: Program, history: History, committed: Commit) -> History:
    pair_history(history)
    history.meeting("l1", "m0", day=2)
    committed(lambda: load(program, history.events))
    mail.outbox.clear()
    return history


def give(program: Program, history: History, committed: Commit, **kw: Any) -> None:
    event = history.kudos("l1", "ana", "ben", day=3, **kw)
    committed(lambda: post_events(program, [event]))


def test_a_kudos_is_e_mailed_to_its_recipient_after_commit(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed, feedback="You listened well.")

    [message] = mail.outbox
    assert message.to == ["ben@example.org"]
    assert message.subject == "Ana Álvarez gave you a Trust kudos (North Mentoring)"
    assert "You listened well." in message.body
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_the_e_mail_names_the_giver_once_and_the_loop_never_by_its_id(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed)

    [message] = mail.outbox
    [(html, _)] = message.alternatives  # type: ignore[attr-defined]
    for text in (message.body, str(html)):
        assert "in your one-to-one loop." in text
        assert text.count("Ana Álvarez") == 1
        # Random tokens in the message may hold the letters; a word may not.
        assert re.search(r"\bl1\b", text) is None


def test_the_e_mail_has_a_plain_text_and_an_html_part(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed)

    [message] = mail.outbox
    [(html, kind)] = message.alternatives  # type: ignore[attr-defined]
    assert kind == "text/html"
    assert "gave you a Trust kudos" in str(html)


def test_feedback_is_escaped_in_html_and_kept_as_written_in_text(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed, feedback='<script>alert("hi")</script> & more')

    [message] = mail.outbox
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; more" in html
    assert '<script>alert("hi")</script> & more' in message.body


def test_a_name_with_a_line_break_cannot_break_the_subject(
    program: Program, met: History, committed: Commit
) -> None:
    rename = met.add(
        "participant.upserted",
        at(2.5),
        participant={"id": "ana", "name": "Ana\nBcc: x@example.org"},
    )
    committed(lambda: post_events(program, [rename]))
    give(program, met, committed)

    [message] = mail.outbox
    assert "\n" not in message.subject
    assert message.to == ["ben@example.org"]


def test_participants_without_an_address_get_no_e_mail(
    program: Program, met: History, committed: Commit
) -> None:
    event = met.kudos("l1", "ben", "ana", day=3)
    committed(lambda: post_events(program, [event]))

    assert mail.outbox == []


def test_a_participant_who_turned_e_mails_off_gets_none(
    program: Program, met: History, committed: Commit
) -> None:
    set_emails(Participant.objects.get(external_id="ben"), False)

    give(program, met, committed)

    assert mail.outbox == []


def test_e_mails_queued_before_turning_them_off_are_not_sent(
    program: Program, met: History, committed: Commit, settings: Any
) -> None:
    settings.NOTIFICATION_EMAILS_PER_COMMIT = 0
    give(program, met, committed)

    set_emails(Participant.objects.get(external_id="ben"), False)

    assert send_queued() == 0
    assert mail.outbox == []


def test_a_bulk_commit_leaves_its_e_mails_to_the_send_command(
    program: Program, met: History, committed: Commit, settings: Any
) -> None:
    settings.NOTIFICATION_EMAILS_PER_COMMIT = 2
    events = [met.kudos("l1", "ana", "ben", day=3 + n) for n in range(3)]
    committed(lambda: post_events(program, events))
    assert mail.outbox == []

    call_command("send_emails", stdout=io.StringIO())

    assert len(mail.outbox) == 3
    assert Email.objects.filter(sent_at__isnull=True).count() == 0


def test_a_live_award_sends_only_its_own_e_mail_not_the_queue(
    program: Program, met: History, committed: Commit, settings: Any
) -> None:
    settings.NOTIFICATION_EMAILS_PER_COMMIT = 2
    backlog = [met.kudos("l1", "ana", "ben", day=3 + n) for n in range(3)]
    committed(lambda: post_events(program, backlog))

    live = met.kudos("l1", "ana", "ben", day=9, feedback="Just now")
    committed(lambda: post_events(program, [live]))

    assert len(mail.outbox) == 1
    assert "Just now" in str(mail.outbox[0].body)
    assert Email.objects.filter(sent_at__isnull=True).count() == 3


def test_an_e_mail_is_never_sent_twice(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed)

    assert send_queued() == 0
    call_command("send_emails", stdout=io.StringIO())

    assert len(mail.outbox) == 1


def test_a_failed_send_is_kept_and_retried(
    program: Program, met: History, committed: Commit, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    give(program, met, committed)
    email = Email.objects.get()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Email.objects.update(claimed_at=None)
    assert send_queued() == 1
    assert len(mail.outbox) == 1


def test_the_unsubscribe_token_names_the_participant(
    program: Program, met: History, committed: Commit
) -> None:
    give(program, met, committed)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[-1]

    found = participant_from_token(token)

    assert found is not None and found.external_id == "ben"
    assert participant_from_token(token + "x") is None


def test_a_kudos_withdrawn_before_its_e_mail_went_is_not_sent(
    program: Program, met: History, committed: Commit, settings: Any
) -> None:
    settings.NOTIFICATION_EMAILS_PER_COMMIT = 0
    give(program, met, committed)

    withdraw_kudos(Award.objects.get(badge="trust"), None, "Not appropriate.")

    assert send_queued() == 0
    assert mail.outbox == []
