"""The event format: strict validation of each event into a typed value.

Every refusal carries a stable reason code and one readable sentence.
"""

import hashlib
import json
import re
import sys
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
FEEDBACK_LIMIT = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Refusal(Exception):
    """An event that cannot be applied, with a stable code and a sentence."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def parse_instant(value: object) -> datetime:
    """Read an ISO 8601 instant that states its offset."""
    if not isinstance(value, str):
        raise PydanticCustomError(
            "invalid_timestamp", "must be an ISO 8601 text with an offset"
        )
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "invalid_timestamp",
            "{value} is not an ISO 8601 instant",
            {"value": repr(value)},
        ) from None
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise PydanticCustomError(
            "invalid_timestamp",
            "{value} has no offset (add Z or +HH:MM)",
            {"value": repr(value)},
        )
    instant = instant.astimezone(UTC)
    if not EARLIEST <= instant < LATEST:
        raise PydanticCustomError(
            "invalid_timestamp",
            "{value} is outside 2000-01-01 to 2100-01-01",
            {"value": repr(value)},
        )
    return instant


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError(
            "invalid_field", "must not contain control characters"
        )
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("invalid_field", "must not contain a NUL character")
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("invalid_field", "is not an e-mail address") from None
    return value


Instant = Annotated[datetime, BeforeValidator(parse_instant)]
Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control)]
# An id that names a participant or a loop recurs in many events: one copy of
# each is kept however many events hold it.
Ref = Annotated[Id, AfterValidator(sys.intern)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Text = Annotated[str, AfterValidator(_no_nul)]
Role = Literal["mentor", "mentee", "member"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Event(_Strict):
    id: Id
    occurred_at: Instant


class ParticipantInfo(_Strict):
    id: Id
    name: Name
    email: Email | None = None


class Member(_Strict):
    participant: Ref
    role: Role


class ParticipantUpserted(_Event):
    type: Literal["participant.upserted"]
    participant: ParticipantInfo


class ParticipantRemoved(_Event):
    type: Literal["participant.removed"]
    participant: Ref


class LoopStarted(_Event):
    type: Literal["loop.started"]
    loop: Ref
    kind: Literal["one_to_one", "group"]
    members: Annotated[list[Member], Field(min_length=1, max_length=1000)]


class LoopMembersChanged(_Event):
    type: Literal["loop.members_changed"]
    loop: Ref
    members: Annotated[list[Member], Field(min_length=1, max_length=1000)]


class LoopClosed(_Event):
    type: Literal["loop.closed"]
    loop: Ref


class LoopReopened(_Event):
    type: Literal["loop.reopened"]
    loop: Ref


class MeetingCompleted(_Event):
    type: Literal["meeting.completed"]
    loop: Ref
    meeting: Id
    attendees: Annotated[list[Ref], Field(max_length=1000)] | None = None


class MeetingRetracted(_Event):
    type: Literal["meeting.retracted"]
    loop: Ref
    meeting: Id


class SurveySubmitted(_Event):
    type: Literal["survey.submitted"]
    loop: Ref
    survey: Literal["mqs", "post_meeting"]
    respondent: Ref
    score: Annotated[int, Field(ge=1, le=5)]
    response: Id | None = None
    meeting: Id | None = None

    @property
    def response_id(self) -> str:
        return self.response or self.id


class SurveyRetracted(_Event):
    type: Literal["survey.retracted"]
    response: Id


class CourseCompleted(_Event):
    type: Literal["course.completed"]
    participant: Ref
    passed: bool
    course: Id | None = None


class KudosGiven(_Event):
    type: Literal["kudos.given"]
    loop: Ref
    giver: Ref
    recipient: Ref
    category: Annotated[str, Field(max_length=200)]
    feedback: Text | None = None

    @property
    def note(self) -> str:
        return (self.feedback or "").strip()


AnyEvent = (
    ParticipantUpserted
    | ParticipantRemoved
    | LoopStarted
    | LoopMembersChanged
    | LoopClosed
    | LoopReopened
    | MeetingCompleted
    | MeetingRetracted
    | SurveySubmitted
    | SurveyRetracted
    | CourseCompleted
    | KudosGiven
)
EVENT_TYPES: dict[str, type[_Event]] = {
    model.model_fields["type"].annotation.__args__[0]: model
    for model in AnyEvent.__args__
}
_ADAPTERS = {name: TypeAdapter(model) for name, model in EVENT_TYPES.items()}


def _where(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "event"


def _refusal(error: ValidationError) -> Refusal:
    first = error.errors(include_url=False)[0]
    where = _where(first["loc"])
    kind = first["type"]
    if kind == "missing":
        return Refusal("missing_field", f"The field '{where}' is required.")
    if kind == "extra_forbidden":
        return Refusal(
            "unknown_field", f"The field '{where}' is not part of this event."
        )
    if kind == "invalid_timestamp":
        return Refusal("invalid_timestamp", f"The field '{where}' {first['msg']}.")
    message = first["msg"]
    if kind == "invalid_field":
        return Refusal("invalid_field", f"The field '{where}' {message}.")
    return Refusal("invalid_field", f"The field '{where}' is not valid: {message}.")


def validate_event(data: object) -> AnyEvent:
    """Return the typed event, or raise Refusal naming what is wrong."""
    if not isinstance(data, dict):
        raise Refusal("invalid_event", "An event must be a JSON object.")
    kind = data.get("type")
    if kind is None:
        raise Refusal("missing_field", "The field 'type' is required.")
    if not isinstance(kind, str) or kind not in _ADAPTERS:
        shown = kind if isinstance(kind, str) else json.dumps(kind)
        raise Refusal("unknown_type", f"'{shown[:80]}' is not an event type.")

    try:
        event: AnyEvent = _ADAPTERS[kind].validate_python(data)  # type: ignore[assignment]
    except ValidationError as error:
        raise _refusal(error) from None
    return event


def canonical(event: AnyEvent) -> str:
    """Return the event as JSON text, the same however it was written.

    Fields come out in the order the models declare them, so that order is
    part of every stored fingerprint: add fields at the end, never reorder.
    """
    return event.model_dump_json()


def fingerprint(text: str) -> str:
    """Return the hash of an event's canonical text."""
    return hashlib.sha256(text.encode()).hexdigest()


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        repeated = next(key for key in keys if keys.count(key) > 1)
        raise Refusal("invalid_json", f"The key '{repeated[:80]}' appears twice.")
    return dict(pairs)


def parse_json(text: str) -> object:
    """Parse one event's JSON text, refusing repeated keys and bad syntax."""
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as error:
        raise Refusal(
            "invalid_json",
            f"This is not valid JSON: {error.msg} at column {error.colno}.",
        ) from None
    except RecursionError:
        raise Refusal("invalid_json", "The JSON is nested too deeply.") from None
