"""API tokens, webhook endpoints and the webhook outbox."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorbadges.programs.models import Program

TOKEN_START = "mb_"
PREFIX_LENGTH = 12


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token that reaches one program; only its hash is kept.

    The first characters are stored in the clear so that a token can be found
    without scanning every hash and recognised in a list.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(
        cls, program: Program, name: str, *, created_by: object = None
    ) -> tuple["ApiToken", str]:
        """Create a token and return it with its secret text, shown only now."""
        raw = TOKEN_START + secrets.token_urlsafe(32)
        token = cls.objects.create(
            program=program,
            name=name,
            prefix=raw[:PREFIX_LENGTH],
            digest=_digest(raw),
            created_by=created_by,
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> "ApiToken | None":
        """Return the live token with this secret text, if there is one."""
        if not raw.startswith(TOKEN_START) or len(raw) > 200:
            return None

        wanted = _digest(raw)
        candidates = cls.objects.filter(
            prefix=raw[:PREFIX_LENGTH], revoked_at__isnull=True
        ).select_related("program")
        for token in candidates:
            if hmac.compare_digest(token.digest, wanted):
                return token
        return None

    def revoke(self, by: object = None) -> None:
        """Close the token; ``by`` is the user who did, None for the command line."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_by = by  # type: ignore[assignment]
            self.save(update_fields=["revoked_at", "revoked_by"])


class Webhook(models.Model):
    """An address a program's awards and revocations are posted to."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    def __str__(self) -> str:
        return self.url

    @classmethod
    def register(
        cls, program: Program, url: str, *, created_by: object = None
    ) -> "Webhook":
        """Create a webhook with a new secret; raise ValidationError for a bad URL."""
        URLValidator(schemes=["http", "https"])(url)
        return cls.objects.create(
            program=program,
            url=url,
            secret="whsec_" + secrets.token_urlsafe(32),
            created_by=created_by,
        )


class WebhookDelivery(models.Model):
    """One message waiting for, or having reached, one webhook.

    ``key`` names what the message is about (an award granted or revoked, and
    how many times it had been revoked before), so the same news is queued once.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=32)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "key"], name="delivery_once"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(delivered_at__isnull=True),
                name="delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
