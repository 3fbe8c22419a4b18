"""Programs and the people and loops in them."""

import unicodedata
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models


def sort_name(name: str) -> str:
    """Return a key that sorts names case- and accent-insensitively."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Program(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    # One step further for every transaction that changes the program's
    # people, loops, events or awards (see ``programs.locks``).
    revision = models.BigIntegerField(db_default=0)

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class Participant(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    external_id = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    sort_name = models.CharField(max_length=200)
    email = models.CharField(max_length=254, blank=True)
    named_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "external_id"], name="participant_unique_id"
            ),
        ]
        indexes = [models.Index(fields=["program", "sort_name"])]

    def __str__(self) -> str:
        return self.name

    def rename(self, name: str) -> None:
        self.name = name
        self.sort_name = sort_name(name)


class Loop(models.Model):
    ONE_TO_ONE = "one_to_one"
    GROUP = "group"

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    external_id = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=16, choices=[(ONE_TO_ONE, "One-to-one"), (GROUP, "Group")]
    )
    started_at = models.DateTimeField()
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "external_id"], name="loop_unique_id"
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class Membership(models.Model):
    """A stretch of time a participant spent in a loop, derived from its events."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    loop = models.ForeignKey(Loop, on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE)
    role = models.CharField(max_length=8)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["participant", "left_at"])]


class StaffRole(models.Model):
    ADMIN = "admin"
    COORDINATOR = "coordinator"

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(
        max_length=16, choices=[(ADMIN, "Program admin"), (COORDINATOR, "Coordinator")]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="staff_once"),
        ]
