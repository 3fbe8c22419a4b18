"""The audit trail of changes to people, tokens and staff."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mentorbadges.programs.models import Program


class AuditEntry(models.Model):
    """Who did what, when, to whom; never the personal data itself.

    ``actor_name`` keeps who acted after their account is gone; an empty
    actor means the command line or the platform.
    """

    ERASED = "participant_erased"
    EXPORTED = "participant_exported"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    STAFF_ADDED = "staff_added"
    STAFF_CHANGED = "staff_changed"
    STAFF_REMOVED = "staff_removed"
    LABELS = {
        ERASED: "Participant erased",
        EXPORTED: "Participant data exported",
        TOKEN_CREATED: "API token created",
        TOKEN_REVOKED: "API token revoked",
        STAFF_ADDED: "Staff member added",
        STAFF_CHANGED: "Staff role changed",
        STAFF_REMOVED: "Staff member removed",
    }

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32)
    subject = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["program", "-at"])]

    def __str__(self) -> str:
        return f"{self.label}: {self.subject}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action)
