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
            # The All Badges table's orders: by date (either way) and, for
            # each recipient taken in name order, by date.
            models.Index(
                fields=["program", "awarded_at", "id"],
                condition=Q(revoked_at__isnull=True),
                name="award_standing_page",
            ),
            models.Index(
                fields=["recipient", "awarded_at", "id"],
                condition=Q(revoked_at__isnull=True),
                name="award_standing_received",
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


# Tallies: standing awards counted ahead, so that reports read a few rows
# instead of counting a million. The database keeps them: triggers on the
# award table (migration 0003) add and take away on every insert, update and
# delete, whichever code path writes, so they are exact at every commit.
# Nothing in the code writes them. Keys carry no foreign key constraints:
# a tally row lives exactly as long as awards count in it, and disappears
# when its counts reach zero, so deletes by cascade need not reach it.


def _key(model: type[models.Model]) -> models.ForeignKey[models.Model]:
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class BadgeTally(models.Model):
    """Standing awards of one badge (any level) in a program."""

    program = _key(Program)
    badge = models.CharField(max_length=20)
    awards = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "badge"], name="badge_tally_once"
            ),
        ]


class PersonTally(models.Model):
    """Standing awards a participant received, and kudos received and given."""

    program = _key(Program)
    participant = _key(Participant)
    awards = models.IntegerField()
    received = models.IntegerField()
    given = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "participant"], name="person_tally_once"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "-received"], name="person_tally_received"),
            models.Index(fields=["program", "-given"], name="person_tally_given"),
        ]


class LoopTally(models.Model):
    """Standing kudos shared in a loop."""

    program = _key(Program)
    loop = _key(Loop)
    kudos = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "loop"], name="loop_tally_once"),
        ]


class TimeTally(models.Model):
    """Standing awards by the UTC quarter hour they were awarded in.

    Every time zone's offset is a whole number of quarter hours, so local
    days and months are whole runs of these rows.
    """

    program = _key(Program)
    at = models.DateTimeField()
    kudos = models.IntegerField()
    achievements = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "at"], name="time_tally_once"),
        ]
