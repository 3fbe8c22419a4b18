"""Awards (kudos and achievement levels) and their audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorbadges.activity.models import Event
from mentorbadges.badges.catalogue import CATALOGUE, Level
from mentorbadges.programs.models import Loop, Participant, Program


class Award(models.Model):
    """One kudos, or one level of one achievement, held by a participant.

    ``stable_key`` names the award by its content, so the database itself
    refuses a second copy, and rows order the same way however they arrived.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    stable_key = models.CharField(max_length=700)
    badge = models.CharField(max_length=20)
    level = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="awards"
    )
    loop = models.ForeignKey(Loop, null=True, blank=True, on_delete=models.CASCADE)
    awarded_at = models.DateTimeField()
    giver = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos_given",
    )
    feedback = models.TextField(blank=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "stable_key"], name="award_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "awarded_at", "stable_key"],
                condition=Q(revoked_at__isnull=True),
                name="award_standing_by_time",
            ),
            models.Index(
                fields=["loop", "awarded_at"],
                condition=Q(revoked_at__isnull=True),
                name="award_standing_by_loop",
            ),
            models.Index(fields=["recipient", "badge"]),
            models.Index(fields=["loop", "badge"]),
        ]

    def __str__(self) -> str:
        return f"{self.badge_name} {self.level_label}".strip()

    @property
    def badge_name(self) -> str:
        return CATALOGUE[self.badge].name

    @property
    def is_kudos(self) -> bool:
        return CATALOGUE[self.badge].is_kudos

    @property
    def level_label(self) -> str:
        return Level(self.level).label


class AwardChange(models.Model):
    """The audit trail: an award revoked, withdrawn or given back, and why."""

    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    REINSTATED = "reinstated"

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(max_length=16)
    reason = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(auto_now_add=True)
