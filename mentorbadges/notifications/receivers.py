"""Notifications are recorded with the awards and prompts that cause them.

They are written in the same transaction, so none is lost when a crash
follows the commit and none outlives a change that rolled back. E-mails go
out only after the commit.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from mentorbadges.activity.ingest import KudosPrompt
from mentorbadges.badges.models import Award
from mentorbadges.notifications import services
from mentorbadges.programs.models import Program

logger = logging.getLogger(__name__)


def on_awards_granted(
    sender: object, program: Program, awards: list[Award], **_: Any
) -> None:
    services.notify_awards(program, awards)

    # A person's action is told at once; a bulk import or recompute waits
    # for ``send_emails``, so its e-mails never hold up or flood the command.
    if len(awards) <= settings.NOTIFICATION_EMAILS_PER_COMMIT:
        keys = [award.pk for award in awards]
        transaction.on_commit(lambda: send_some(keys))


def on_kudos_prompted(
    sender: object,
    program: Program,
    prompts: list[tuple[str, KudosPrompt]],
    **_: Any,
) -> None:
    services.notify_prompts(program, prompts)


def send_some(awards: list[int]) -> None:
    """Send the e-mails about these awards now; ``send_emails`` sends the rest."""
    try:
        services.send_queued(settings.NOTIFICATION_EMAILS_PER_COMMIT, awards)
    except Exception:
        logger.exception("Could not send notification e-mails")
