"""Everything held about one participant, as one JSON document."""

from datetime import datetime
from typing import Any

from django.db.models import Q

from mentorbadges.activity.models import Event
from mentorbadges.badges.models import Award
from mentorbadges.notifications.models import Email, Notification, Preference
from mentorbadges.programs.models import Membership, Participant
from mentorbadges.sharing.models import Publication


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _award(award: Award) -> dict[str, Any]:
    return {
        "badge": award.badge_name,
        "level": award.level_label,
        "loop": award.loop.external_id if award.loop else None,
        "awarded_at": _when(award.awarded_at),
        "giver": award.giver.external_id if award.giver else None,
        "recipient": award.recipient.external_id,
        "feedback": award.feedback,
        "withdrawn_or_revoked_at": _when(award.revoked_at),
        "reason": award.revoked_reason,
    }


def participant_data(person: Participant) -> dict[str, Any]:
    """Return what the service holds about ``person``, grouped by kind."""
    awards = Award.objects.select_related("loop", "giver", "recipient").order_by(
        "awarded_at", "pk"
    )
    events = Event.objects.filter(program_id=person.program_id).filter(
        Q(participant=person)
        | Q(type="kudos.given", payload__recipient=person.external_id)
    )
    preference = Preference.objects.filter(participant=person).first()
    user = person.user
    return {
        "program": person.program.slug,
        "participant": {
            "id": person.external_id,
            "name": person.name,
            "email": person.email,
            "active": person.active,
            "named_at": _when(person.named_at),
            "erased_at": _when(person.erased_at),
        },
        "account": {"username": user.get_username(), "email": user.email}
        if user is not None
        else None,
        "memberships": [
            {
                "loop": span.loop.external_id,
                "role": span.role,
                "joined_at": _when(span.joined_at),
                "left_at": _when(span.left_at),
            }
            for span in Membership.objects.filter(participant=person)
            .select_related("loop")
            .order_by("joined_at", "pk")
        ],
        "badges_received": [_award(a) for a in awards.filter(recipient=person)],
        "kudos_given": [_award(a) for a in awards.filter(giver=person)],
        "events": [
            {
                "id": event.event_id,
                "type": event.type,
                "occurred_at": _when(event.occurred_at),
                "received_at": _when(event.received_at),
                "content": event.payload,
            }
            for event in events.order_by("occurred_at", "pk")
        ],
        "notifications": [
            {
                "kind": note.kind,
                "badge": note.badge_name,
                "level": note.level_label,
                "created_at": _when(note.created_at),
                "read_at": _when(note.read_at),
            }
            for note in Notification.objects.filter(recipient=person).order_by(
                "created_at", "pk"
            )
        ],
        "emails": [
            {
                "address": mail.address,
                "queued_at": _when(mail.queued_at),
                "sent_at": _when(mail.sent_at),
            }
            for mail in Email.objects.filter(notification__recipient=person).order_by(
                "queued_at", "pk"
            )
        ],
        "email_notifications": preference.email if preference else True,
        "published_badges": [
            {
                "id": item.public_id,
                "badge": item.award.badge_name,
                "level": item.award.level_label,
                "published_at": _when(item.published_at),
                "withdrawn_at": _when(item.withdrawn_at),
            }
            for item in Publication.objects.filter(award__recipient=person)
            .select_related("award")
            .order_by("published_at", "pk")
        ],
    }
