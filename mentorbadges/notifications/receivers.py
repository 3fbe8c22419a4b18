"""Notifications hang off committed awards and prompts, never off hopes."""

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
    # The awards are committed by now; a failure here must not turn the
    # request that made them into an error.
    try:
        with transaction.atomic():
            services.notify_awards(program, awards)
    except Exception:
        logger.exception("Could not record notifications for %s", program.slug)
        return

    # A person's action is told at once; a bulk import or recompute waits
    # for ``send_emails``, so its e-mails never hold up or flood the command.
    if len(awards) <= settings.NOTIFICATION_EMAILS_PER_COMMIT:
        send_some([award.pk for award in awards])


def on_kudos_prompted(
    sender: object,
    program: Program,
    prompts: list[tuple[str, KudosPrompt]],
    **_: Any,
) -> None:
    try:
        with transaction.atomic():
            services.notify_prompts(program, prompts)
    except Exception:
        logger.exception("Could not record kudos prompts for %s", program.slug)


def send_some(awards: list[int]) -> None:
    """Send the e-mails about these awards now; ``send_emails`` sends the rest."""
    try:
        services.send_queued(settings.NOTIFICATION_EMAILS_PER_COMMIT, awards)
    except Exception:
        logger.exception("Could not send notification e-mails")
