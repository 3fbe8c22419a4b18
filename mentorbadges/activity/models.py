"""The event log: every event applied, and every one refused with its reason."""

from django.db import models

from mentorbadges.programs.models import Loop, Participant, Program


class Event(models.Model):
    """An applied event; the history every badge is derived from."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    event_id = models.CharField(max_length=200)
    type = models.CharField(max_length=32)
    occurred_at = models.DateTimeField()
    loop = models.ForeignKey(Loop, null=True, on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, null=True, on_delete=models.CASCADE)
    # The meeting or survey response the event is about, for look-ups.
    subject = models.CharField(max_length=200, blank=True)
    payload = models.JSONField()
    fingerprint = models.CharField(max_length=64)
    source = models.CharField(max_length=8)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "event_id"], name="event_unique_id"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "type", "subject"]),
            models.Index(fields=["program", "occurred_at"]),
        ]


class Rejection(models.Model):
    """An event that was refused, kept so that nothing sent is silently lost."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE)
    event_id = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=32)
    detail = models.TextField()
    content = models.TextField()
    source = models.CharField(max_length=8)
    line = models.PositiveIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    # The same refusal of the same content, sent again, is kept once.
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["program", "-received_at"]),
            models.Index(fields=["program", "digest"]),
        ]
