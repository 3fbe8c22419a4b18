"""The shapes the API reads and writes, with the examples its documentation shows.

What the API writes is built from plain pydantic models, not ninja's ``Schema``:
they are filled from keyword arguments, so they need none of its reading of
model attributes, which costs more than the rest of an event's answer.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from mentorbadges.activity.ingest import KudosPrompt, Outcome
from mentorbadges.badges.catalogue import CATALOGUE, Level
from mentorbadges.badges.models import Award

LevelName = Literal["Bronze", "Silver", "Gold"]
# The ids events carry: 1 to 200 characters, no control characters.
IdText = Annotated[
    str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
]

MEETING_EXAMPLE: JsonDict = {
    "id": "evt-1042",
    "type": "meeting.completed",
    "occurred_at": "2026-03-02T10:30:00Z",
    "loop": "loop-17",
    "meeting": "m-5",
}
SURVEY_EXAMPLE: JsonDict = {
    "id": "evt-1043",
    "type": "survey.submitted",
    "occurred_at": "2026-03-02T11:00:00Z",
    "loop": "loop-17",
    "survey": "post_meeting",
    "respondent": "p-ben",
    "score": 5,
}


class Problem(Schema):
    """An error, as RFC 9457 describes it."""

    type: str = Field(examples=["/api/problems/not_found"])
    code: str = Field(examples=["not_found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No program 'north' is reachable with this token."])


class PersonRef(BaseModel):
    id: str = Field(examples=["p-ana"])
    name: str = Field(examples=["Ana Lima"])


class AwardOut(BaseModel):
    """A kudos, or one level of an achievement."""

    id: int = Field(examples=[3121])
    kind: Literal["kudos", "achievement"]
    badge: str = Field(examples=["momentum"], description="The catalogue code.")
    name: str = Field(examples=["Momentum"])
    level: LevelName | None = Field(examples=["Bronze"])
    recipient: PersonRef
    giver: PersonRef | None = None
    loop: str | None = Field(default=None, examples=["loop-17"])
    awarded_at: datetime
    feedback: str | None = None

    @classmethod
    def of(cls, award: Award) -> "AwardOut":
        badge = CATALOGUE[award.badge]
        label = Level(award.level).label
        giver = award.giver
        return cls(
            id=award.pk,
            kind="kudos" if badge.is_kudos else "achievement",
            badge=badge.code,
            name=badge.name,
            level=label or None,  # type: ignore[arg-type]
            recipient=PersonRef(
                id=award.recipient.external_id, name=award.recipient.name
            ),
            giver=PersonRef(id=giver.external_id, name=giver.name) if giver else None,
            loop=award.loop.external_id if award.loop and badge.per_loop else None,
            awarded_at=award.awarded_at,
            feedback=(award.feedback or None) if badge.is_kudos else None,
        )


class KudosPromptOut(BaseModel):
    """An offer to give kudos to the other members of a loop."""

    loop: str = Field(examples=["loop-17"])
    giver: str = Field(examples=["p-ben"])
    recipients: list[str] = Field(examples=[["p-ana"]])

    @classmethod
    def of(cls, prompt: KudosPrompt) -> "KudosPromptOut":
        return cls(loop=prompt.loop, giver=prompt.giver, recipients=prompt.recipients)


class EventResult(BaseModel):
    id: str | None = Field(
        examples=["evt-1042"], description="The event id, when the event had one."
    )
    status: Literal["applied", "duplicate", "rejected"]
    reason: str | None = Field(default=None, examples=["no_meeting_yet"])
    detail: str | None = Field(default=None)
    awards: list[AwardOut] = Field(description="Awards this event produced.")
    revoked: list[AwardOut] = Field(description="Awards this event took back.")
    kudos_prompt: KudosPromptOut | None = None

    @classmethod
    def of(cls, outcome: Outcome) -> "EventResult":
        rejected = outcome.status == "rejected"
        prompt = outcome.kudos_prompt
        return cls(
            id=outcome.event_id,
            status=outcome.status,  # type: ignore[arg-type]
            reason=outcome.reason if rejected else None,
            detail=outcome.detail if rejected else None,
            awards=[AwardOut.of(award) for award in outcome.awards],
            revoked=[AwardOut.of(award) for award in outcome.revoked],
            kudos_prompt=KudosPromptOut.of(prompt) if prompt else None,
        )


class EventBatch(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"events": [MEETING_EXAMPLE, SURVEY_EXAMPLE]}]}
    )

    events: Annotated[
        list[dict[str, Any]],
        Field(
            min_length=1,
            max_length=1000,
            description="1 to 1,000 activity events, applied in this order. "
            "An event that breaks a rule is rejected alone.",
        ),
    ]


class EventResults(BaseModel):
    results: list[EventResult]


class KudosIn(Schema):
    """A kudos given through the platform's own button, judged like any other."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "kudos-8812",
                    "loop": "loop-17",
                    "giver": "p-ben",
                    "recipient": "p-ana",
                    "category": "trust",
                    "feedback": "Thank you for listening so well.",
                }
            ]
        },
    )

    id: IdText = Field(
        description="The idempotency key: sending it again changes nothing."
    )
    loop: IdText
    giver: IdText
    recipient: IdText
    category: str = Field(max_length=200, examples=["trust"])
    feedback: str | None = Field(default=None, max_length=5000)
    occurred_at: str | None = Field(
        default=None,
        examples=["2026-03-02T11:05:00Z"],
        description="When it was given (ISO 8601 with an offset); now when absent.",
    )
