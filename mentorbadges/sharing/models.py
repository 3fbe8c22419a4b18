"""Public share links for program summaries, and published achievements."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Program


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """A public, unguessable address of a program's summary over a period.

    The page is computed when read, so it always shows standing awards; a
    revoked link answers 404 from the moment ``revoked_at`` is set.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    quote = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quote_names = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["program", "created_at"],
                condition=Q(revoked_at__isnull=True),
                name="sharelink_live_by_program",
            ),
        ]

    def __str__(self) -> str:
        return f"Share link of {self.program_id}"


class Publication(models.Model):
    """An achievement its holder chose to publish as an Open Badges assertion.

    The recipient identity is hashed once, at publication, so the assertion
    does not change when the address later does.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    award = models.ForeignKey(
        Award, on_delete=models.CASCADE, related_name="publications"
    )
    public_id = models.CharField(max_length=64, unique=True, default=new_token)
    salt = models.CharField(max_length=64)
    identity = models.CharField(max_length=100)
    published_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Withdrawn assertions stay revoked; publishing again makes a new one.
            models.UniqueConstraint(
                fields=["award"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_live_once",
            ),
        ]

    def __str__(self) -> str:
        return self.public_id
