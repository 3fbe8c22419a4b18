"""Changes people make to badges by hand: giving and withdrawing kudos."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorbadges.activity.ingest import DUPLICATE, REJECTED, Outcome
from mentorbadges.activity.models import Event
from mentorbadges.activity.services import apply_events
from mentorbadges.badges.limits import kudos_cap
from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.badges.signals import awards_revoked
from mentorbadges.programs.locks import lock_for_change
from mentorbadges.programs.models import Loop, Participant, Program

REASON_LIMIT = 300


class NotWithdrawable(Exception):
    """Only a standing kudos can be withdrawn."""


class AlreadyWithdrawn(NotWithdrawable):
    """The kudos is withdrawn already: a repeated request, not a failure."""


@dataclass(frozen=True)
class KudosRequest:
    loop: Loop
    giver: Participant
    recipient: Participant
    category: str
    feedback: str
    key: str

    @property
    def event_id(self) -> str:
        # The giver is part of the id, so one person's key can never name
        # another person's kudos.
        return f"web-{self.giver.pk}-{self.key}"


def give_kudos(program: Program, request: KudosRequest) -> Outcome:
    """Give a kudos once per key: a resubmitted request is a duplicate.

    The event's time is when it first arrives, so the existence of the id,
    not its content, decides that a repeat is the same kudos.
    """
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)
        sent = (
            Event.objects.filter(program=program, event_id=request.event_id)
            .values_list("payload", flat=True)
            .first()
        )
        if sent is not None:
            if _asks_for(sent) == _asks_for(_kudos_event(request, "")):
                return Outcome(request.event_id, DUPLICATE)
            # The same form sent again with other choices (after going back):
            # the first kudos stands and the giver is told so.
            return Outcome(
                request.event_id,
                REJECTED,
                "already_sent",
                "This form was already sent with other choices.",
            )
        refusal = kudos_cap(
            program, request.giver.external_id, request.recipient.external_id
        )
        if refusal is not None:
            return Outcome(request.event_id, REJECTED, refusal.reason, refusal.detail)

        event = _kudos_event(request, timezone.now().isoformat())
        try:
            with transaction.atomic():
                return apply_events(program, [event], source="web")[0]
        except IntegrityError:
            # A twin request (a double click) recorded the same key first,
            # where the database did not make the two wait in line.
            if Event.objects.filter(
                program=program, event_id=request.event_id
            ).exists():
                return Outcome(request.event_id, DUPLICATE)
            raise


def _kudos_event(request: KudosRequest, occurred_at: str) -> dict[str, object]:
    event: dict[str, object] = {
        "id": request.event_id,
        "type": "kudos.given",
        "occurred_at": occurred_at,
        "loop": request.loop.external_id,
        "giver": request.giver.external_id,
        "recipient": request.recipient.external_id,
        "category": request.category,
    }
    if request.feedback.strip():
        event["feedback"] = request.feedback
    return event


def _asks_for(event: dict[str, object]) -> tuple[object, ...]:
    """What a kudos asks for, leaving out when it was sent."""
    fields = ("loop", "giver", "recipient", "category", "feedback")
    return tuple(event.get(name) for name in fields)


def withdraw_kudos(award: Award, actor: User | None, reason: str) -> Award:
    """Take a kudos out of every count, table and export, keeping its audit trail."""
    reason = reason.strip()[:REASON_LIMIT]
    if not reason:
        raise NotWithdrawable("Say why the kudos is withdrawn.")

    with transaction.atomic():
        lock_for_change(award.program)
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if not locked.is_kudos:
            raise NotWithdrawable("Only a kudos can be withdrawn.")
        if locked.revoked_at is not None:
            raise AlreadyWithdrawn("This kudos has already been withdrawn.")

        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        AwardChange.objects.create(
            program_id=locked.program_id,
            award=locked,
            action=AwardChange.WITHDRAWN,
            reason=reason,
            actor=actor,
        )
        program = locked.program
        awards_revoked.send(sender=Program, program=program, awards=[locked])
    return locked
