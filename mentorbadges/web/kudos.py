"""Whether a participant may give kudos now, and what to say when not."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max
from django.utils import timezone

from mentorbadges.activity.ledger import Ledger
from mentorbadges.activity.models import Event
from mentorbadges.badges import limits
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.badges.rules import is_active_at, kudos_refusal
from mentorbadges.programs.models import Loop, Participant

MESSAGES = {
    "self_kudos": "Kudos are for someone else: you cannot give one to yourself.",
    "not_a_member": "You can give kudos only to a partner in a loop you are both in "
    "right now.",
    "participant_inactive": "Kudos can be given only while you and your partner are "
    "both active in the program.",
    "participant_removed": "Kudos can be given only while you and your partner are "
    "both active in the program.",
    "loop_closed": "This loop is closed, so kudos can no longer be given in it.",
    "no_meeting_yet": "Kudos open after your first meeting together. Meet first, "
    "then come back to say thanks.",
    "unknown_category": "Choose one of the five kinds of kudos.",
    "feedback_too_long": "Your note is longer than 1,000 characters. Please shorten "
    "it.",
    "unknown_loop": "We could not find that loop.",
    "unknown_participant": "We could not find that person in the program.",
    "staff": "Program staff neither give nor receive kudos.",
    "already_sent": "You already sent this form with other choices, and that "
    "first kudos stands. To give another kudos, send the form again.",
    **limits.MESSAGES,
}
FALLBACK = "This kudos could not be given. Please try again later."


def explain(reason: str) -> str:
    return MESSAGES.get(reason, FALLBACK)


@dataclass(frozen=True)
class Opening:
    loop: Loop
    partner: Participant
    role: str
    refusal: str | None

    @property
    def message(self) -> str:
        return explain(self.refusal) if self.refusal else ""


def refusals(
    participant: Participant,
    pairs: Iterable[tuple[Loop, Participant]],
    at: datetime | None = None,
) -> dict[tuple[int, int], str | None]:
    """Judge each (loop, recipient) kudos now with the engine's own rule."""
    pairs = list(pairs)
    if not pairs:
        return {}

    at = at or timezone.now()
    ledger = Ledger(participant.program)
    ledger.load_people({participant.external_id} | {p.external_id for _, p in pairs})
    ledger.load_loops({loop.external_id for loop, _ in pairs})

    def is_active(external_id: str, when: datetime) -> bool:
        person = ledger.people.get(external_id)
        return person is not None and is_active_at(person.switches, when)

    judged: dict[tuple[int, int], str | None] = {}
    for loop, recipient in pairs:
        entry = ledger.loops.get(loop.external_id)
        if entry is None:
            judged[(loop.pk, recipient.pk)] = "unknown_loop"
            continue
        judged[(loop.pk, recipient.pk)] = kudos_refusal(
            entry.history, participant.external_id, recipient.external_id, at, is_active
        )
    return judged


def pending_prompts(participant: Participant) -> set[int]:
    """Return the loops where a 4 or 5 survey score awaits a kudos.

    A prompt stays until the participant gives a kudos in that loop after
    the survey that offered it.
    """
    surveyed = dict(
        Event.objects.filter(
            program_id=participant.program_id,
            type="survey.submitted",
            participant=participant,
            payload__score__gte=4,
        )
        .values_list("loop_id")
        .annotate(last=Max("occurred_at"))
        .values_list("loop_id", "last")
    )
    if not surveyed:
        return set()

    given = dict(
        Award.objects.filter(
            giver=participant, badge__in=KUDOS_CODES, loop_id__in=list(surveyed)
        )
        .values_list("loop_id")
        .annotate(last=Max("awarded_at"))
        .values_list("loop_id", "last")
    )
    return {
        loop
        for loop, at in surveyed.items()
        if loop is not None and (loop not in given or given[loop] < at)
    }
