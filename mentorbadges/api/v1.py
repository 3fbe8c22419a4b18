"""Version 1 of the API: events in, badges and figures out."""

from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from ninja import Router

from mentorbadges.activity.models import Event
from mentorbadges.activity.services import apply_events
from mentorbadges.api.auth import program_for
from mentorbadges.api.errors import Problem as ProblemError
from mentorbadges.api.schemas import (
    EventBatch,
    EventResult,
    EventResults,
    KudosIn,
    Problem,
)
from mentorbadges.badges.limits import kudos_cap
from mentorbadges.programs.models import Program
from mentorbadges.reports.csv import export_csv

router = Router(tags=["v1"])

ERRORS: dict[int, type[Problem]] = {
    401: Problem,
    404: Problem,
    429: Problem,
}
BODY_ERRORS: dict[int, type[Problem]] = {
    **ERRORS,
    400: Problem,
    413: Problem,
    422: Problem,
}


@router.post(
    "/programs/{program}/events",
    response={200: EventResults, **BODY_ERRORS},
    summary="Apply activity events",
)
def post_events(request: HttpRequest, program: str, batch: EventBatch) -> EventResults:
    """Apply 1 to 1,000 events in the order given and say what each did.

    Each result has the event's id, its status (applied, duplicate or
    rejected), the reason and a sentence when it was rejected, the awards it
    produced or took back, and the kudos prompt when a survey score of 4 or 5
    offers one. A body that is not an object with an `events` list of 1 to
    1,000 objects is refused whole.
    """
    found = program_for(request, program)
    outcomes = apply_events(found, batch.events, source="api")
    return EventResults(results=[EventResult.of(outcome) for outcome in outcomes])


@router.post(
    "/programs/{program}/kudos",
    response={200: EventResult, **BODY_ERRORS},
    summary="Give kudos on behalf of a participant",
)
def give_kudos(request: HttpRequest, program: str, kudos: KudosIn) -> EventResult:
    """Give a kudos from the platform's own button, under the same rules as the
    web page; the answer is the result of the `kudos.given` event it makes.

    A giver past their caps (kudos in the last 24 hours, or repeats to one
    recipient in a short window) gets 429 with the code `daily_cap` or
    `repeat_cap`, and nothing is recorded.
    """
    found = program_for(request, program)
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=found.pk)
        # Without a given time the event is stamped now, so a retry would
        # differ from the first request: the id alone makes it the same kudos.
        known = Event.objects.filter(program=found, event_id=kudos.id).exists()
        if known and kudos.occurred_at is None:
            return EventResult(id=kudos.id, status="duplicate", awards=[], revoked=[])
        if not known:
            refusal = kudos_cap(found, kudos.giver, kudos.recipient)
            if refusal is not None:
                raise ProblemError(429, refusal.reason, refusal.detail)
        return _give_kudos(found, kudos)


def _give_kudos(program: Program, kudos: KudosIn) -> EventResult:
    occurred_at = kudos.occurred_at or timezone.now().isoformat()
    event: dict[str, object] = {
        "id": kudos.id,
        "type": "kudos.given",
        "occurred_at": occurred_at,
        "loop": kudos.loop,
        "giver": kudos.giver,
        "recipient": kudos.recipient,
        "category": kudos.category,
    }
    if kudos.feedback is not None:
        event["feedback"] = kudos.feedback
    [outcome] = apply_events(program, [event], source="api")
    return EventResult.of(outcome)


@router.get(
    "/programs/{program}/badges.csv",
    response={200: None, **ERRORS},
    summary="The all-badges CSV",
    openapi_extra={
        "responses": {
            # An int key, as the API's own statuses, so the two merge into one.
            200: {
                "description": "The same bytes as `mentorbadges export`.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def badges_csv(request: HttpRequest, program: str) -> StreamingHttpResponse:
    """Stream every standing award as the all-badges CSV."""
    found = program_for(request, program)
    response = StreamingHttpResponse(
        export_csv(found), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-badges.csv"'
    return response
