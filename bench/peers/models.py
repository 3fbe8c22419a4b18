"""The activity a peer engine awards from: one row per counted fact."""

from django.conf import settings
from django.db import models

MEETING = "meeting"
TOP_RATING = "top"


class Activity(models.Model):
    """A meeting attended, or a top rating received, by one enrolment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity"
    )
    kind = models.CharField(max_length=8)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "kind"])]
