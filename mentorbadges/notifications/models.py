"""What participants are told about their badges, and the e-mails that carry it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from mentorbadges.badges.catalogue import CATALOGUE, Level
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Participant, Program
from mentorbadges.programs.naming import loop_names


class Notification(models.Model):
    """One piece of news for one participant.

    ``key`` names the news by its content (a kudos award; an achievement's
    recipient, loop, badge and level; a survey that prompted kudos and whom),
    so the database refuses to tell the same participant the same thing twice,
    however often an award is revoked, earned again, recomputed or imported
    again. One text column, never NULL, keeps Certified (which has no loop)
    under the same constraint.
    """

    KUDOS = "kudos"
    ACHIEVEMENT = "achievement"
    PROMPT = "prompt"

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(
        max_length=16,
        choices=[
            (KUDOS, "Kudos received"),
            (ACHIEVEMENT, "Achievement earned"),
            (PROMPT, "Kudos prompt"),
        ],
    )
    key = models.CharField(max_length=300)
    # Kept when the award goes: the key alone keeps the news from repeating.
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.SET_NULL)
    loop = models.ForeignKey(Loop, null=True, blank=True, on_delete=models.SET_NULL)
    badge = models.CharField(max_length=20, blank=True)
    level = models.PositiveSmallIntegerField(default=0)
    # For a kudos prompt: the participants (ids) the recipient may thank.
    partners = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def badge_name(self) -> str:
        badge = CATALOGUE.get(self.badge)
        return badge.name if badge else ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @cached_property
    def loop_name(self) -> str:
        """The loop as the recipient knows it; lists may set it for many at once."""
        if self.loop is None:
            return "your loop"
        return loop_names(self.recipient, [self.loop])[self.loop.pk]

    @property
    def place(self) -> str:
        """The loop as told after the headline, naming no one twice."""
        if (
            self.kind == self.KUDOS
            and self.loop is not None
            and self.loop.kind == Loop.ONE_TO_ONE
        ):
            # The headline names the giver, the only partner in the loop.
            return "your one-to-one loop"
        return self.loop_name

    @property
    def headline(self) -> str:
        if self.kind == self.KUDOS:
            giver = self.award.giver if self.award else None
            who = giver.name if giver else "A loop partner"
            article = "an" if self.badge_name[:1] in "AEIOU" else "a"
            return f"{who} gave you {article} {self.badge_name} kudos"
        if self.kind == self.ACHIEVEMENT:
            name = f"{self.badge_name} {self.level_label}".strip()
            return f"You earned {name}"
        one_to_one = self.loop is not None and self.loop.kind == Loop.ONE_TO_ONE
        partners = "partner" if one_to_one else "loop partners"
        return f"You rated {self.loop_name} highly: thank your {partners} with a kudos"


class Preference(models.Model):
    """A participant's choice about e-mail; without a row, e-mails are on."""

    participant = models.OneToOneField(
        Participant,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=timezone.now)


class Email(models.Model):
    """The outbox: one e-mail per notification, sent once by whoever claims it."""

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    address = models.CharField(max_length=254)
    queued_at = models.DateTimeField(default=timezone.now)
    # Whoever sets ``claim`` sends the e-mail; the lease lets a crashed
    # sender's e-mails go out with the next run.
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=Q(sent_at__isnull=True),
                name="email_unsent",
            ),
        ]


class DigestRun(models.Model):
    """A weekly digest sent for one program, so a second run that week sends none."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    week = models.CharField(max_length=8)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "week"], name="digest_once"),
        ]
