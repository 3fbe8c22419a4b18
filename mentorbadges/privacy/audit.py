"""Writing the audit trail."""

from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Program


def record(
    program: Program | int,
    action: str,
    subject: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    detail: str = "",
) -> AuditEntry:
    known = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        program_id=program if isinstance(program, int) else program.pk,
        actor=cast(User | None, known),
        actor_name=known.get_username() if known is not None else "",
        action=action,
        subject=subject[:200],
        detail=detail[:300],
    )
