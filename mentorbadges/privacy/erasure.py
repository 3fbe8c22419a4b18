"""Erasing a participant: their name and address go, their counts stay.

Everything that could bring the name, the address or their own words back
is scrubbed too: the recorded events (so a recompute or a replay restores
nothing), refused events that quote them, the e-mail outbox and their
published Open Badges assertions.
"""

import json
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.lib.text import counted
from mentorbadges.notifications.models import Email
from mentorbadges.privacy.audit import record
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.locks import lock_for_change
from mentorbadges.programs.models import Participant, StaffRole
from mentorbadges.sharing.models import Publication

logger = logging.getLogger(__name__)


class AlreadyErased(Exception):
    """A participant is erased once."""


@dataclass(frozen=True)
class Erasure:
    placeholder: str
    feedback_removed: int
    events_scrubbed: int
    rejections_scrubbed: int
    emails_removed: int
    publications_revoked: int

    @property
    def summary(self) -> str:
        return (
            f"{counted(self.feedback_removed, 'feedback note')} removed, "
            f"{counted(self.events_scrubbed, 'event')} and "
            f"{counted(self.rejections_scrubbed, 'refused event')} scrubbed, "
            f"{counted(self.emails_removed, 'e-mail')} removed, "
            f"{counted(self.publications_revoked, 'published badge')} revoked."
        )


def placeholder(participant: Participant) -> str:
    """Return the neutral name, with a short number that tells two apart."""
    return f"Former participant {participant.pk}"


def erase_participant(
    participant: Participant, actor: AbstractBaseUser | AnonymousUser | None
) -> Erasure:
    with transaction.atomic():
        # Imports hold the same lock, so none can write the old name back
        # between the scrub and the commit.
        lock_for_change(participant.program)
        person = Participant.objects.select_for_update().get(pk=participant.pk)
        if person.erased_at is not None:
            raise AlreadyErased("This participant has already been erased.")

        old_name, old_email = person.name, person.email
        new_name = placeholder(person)
        erasure = Erasure(
            placeholder=new_name,
            feedback_removed=_remove_feedback(person),
            events_scrubbed=_scrub_events(person, new_name),
            rejections_scrubbed=_scrub_rejections(
                person, old_name, old_email, new_name
            ),
            emails_removed=_remove_emails(person),
            publications_revoked=Publication.objects.filter(
                award__recipient=person, withdrawn_at__isnull=True
            ).update(withdrawn_at=timezone.now()),
        )
        _close_account(person)

        person.rename(new_name)
        person.email = ""
        person.erased_at = timezone.now()
        person.user = None
        person.save(update_fields=["name", "sort_name", "email", "erased_at", "user"])
        record(
            person.program_id,
            AuditEntry.ERASED,
            new_name,
            actor=actor,
            detail=erasure.summary,
        )
    logger.info("Erased participant %s of program %s", person.pk, person.program_id)
    return erasure


def _remove_feedback(person: Participant) -> int:
    return (
        Award.objects.filter(giver=person, badge__in=KUDOS_CODES)
        .exclude(feedback="")
        .update(feedback="")
    )


def _scrub_events(person: Participant, new_name: str) -> int:
    scrubbed = 0
    upserts = Event.objects.filter(
        program_id=person.program_id,
        type="participant.upserted",
        participant=person,
    )
    for event in upserts:
        payload = dict(event.payload)
        about = dict(payload.get("participant") or {})
        about["name"] = new_name
        about.pop("email", None)
        payload["participant"] = about
        Event.objects.filter(pk=event.pk).update(payload=payload)
        scrubbed += 1

    given = Event.objects.filter(
        program_id=person.program_id,
        type="kudos.given",
        payload__giver=person.external_id,
        payload__has_key="feedback",
    )
    for event in given:
        payload = {k: v for k, v in event.payload.items() if k != "feedback"}
        Event.objects.filter(pk=event.pk).update(payload=payload)
        scrubbed += 1
    return scrubbed


def _quoted(text: str) -> list[str]:
    """Return ``text`` as a JSON string literal, in both spellings files use."""
    forms = {json.dumps(text), json.dumps(text, ensure_ascii=False)}
    return sorted(forms)


def _scrub_rejections(person: Participant, name: str, email: str, new_name: str) -> int:
    # Only whole JSON strings are replaced, so a short name never eats into
    # unrelated text.
    replacements = [(quoted, json.dumps(new_name)) for quoted in _quoted(name)]
    if email:
        replacements += [(quoted, '""') for quoted in _quoted(email)]

    matches = Q()
    for quoted, _ in replacements:
        matches |= Q(content__contains=quoted)
    found = Rejection.objects.filter(program_id=person.program_id).filter(matches)

    scrubbed = 0
    for rejection in found:
        content = rejection.content
        for quoted, neutral in replacements:
            content = content.replace(quoted, neutral)
        Rejection.objects.filter(pk=rejection.pk).update(content=content)
        scrubbed += 1
    return scrubbed


def _remove_emails(person: Participant) -> int:
    outbox = Email.objects.filter(notification__recipient=person)
    unsent, _ = outbox.filter(sent_at__isnull=True).delete()
    outbox.exclude(address="").update(address="")
    return unsent


def _close_account(person: Participant) -> None:
    """Sign the person out for good, unless the account also works as staff."""
    if person.user_id is None:
        return

    if StaffRole.objects.filter(user_id=person.user_id).exists():
        return
    user = User.objects.get(pk=person.user_id)
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
