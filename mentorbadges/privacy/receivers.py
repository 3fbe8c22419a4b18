"""Token and staff changes go on the audit trail wherever they are made."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from mentorbadges.api.models import ApiToken
from mentorbadges.privacy.audit import record
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Program, StaffRole


@receiver(post_save, sender=ApiToken)
def token_saved(
    sender: type[ApiToken], instance: ApiToken, created: bool, **kwargs: Any
) -> None:
    fields = kwargs.get("update_fields") or ()
    if created:
        record(
            instance.program_id,
            AuditEntry.TOKEN_CREATED,
            str(instance),
            actor=instance.created_by,
        )
    elif "revoked_at" in fields and instance.revoked_at is not None:
        record(
            instance.program_id,
            AuditEntry.TOKEN_REVOKED,
            str(instance),
            actor=instance.revoked_by,
        )


@receiver(pre_save, sender=StaffRole)
def staff_role_before(sender: type[StaffRole], instance: StaffRole, **_: Any) -> None:
    previous = None
    if instance.pk is not None:
        previous = (
            StaffRole.objects.filter(pk=instance.pk)
            .values_list("role", flat=True)
            .first()
        )
    instance._previous_role = previous  # type: ignore[attr-defined]


@receiver(post_save, sender=StaffRole)
def staff_role_saved(
    sender: type[StaffRole], instance: StaffRole, created: bool, **_: Any
) -> None:
    who = f"{instance.user.get_username()} as {instance.get_role_display()}"
    if created:
        record(instance.program_id, AuditEntry.STAFF_ADDED, who)
        return

    previous = getattr(instance, "_previous_role", None)
    if previous != instance.role:
        record(
            instance.program_id,
            AuditEntry.STAFF_CHANGED,
            who,
            detail=f"Was {previous or 'unknown'}.",
        )


@receiver(post_delete, sender=StaffRole)
def staff_role_deleted(
    sender: type[StaffRole], instance: StaffRole, **kwargs: Any
) -> None:
    origin = kwargs.get("origin")
    model = getattr(origin, "model", type(origin))
    if model is Program:
        # The whole program is going, its audit trail with it.
        return

    record(
        instance.program_id,
        AuditEntry.STAFF_REMOVED,
        f"{instance.user.get_username()} as {instance.get_role_display()}",
    )
