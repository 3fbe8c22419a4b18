"""A small language for writing event histories in tests."""

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

Event = dict[str, Any]


def at(day: float, hour: float = 9) -> str:
    """Return the instant ``day`` days after 2026-01-05 at ``hour`` UTC."""
    start = datetime(2026, 1, 5, tzinfo=UTC)
    return (start + timedelta(days=day, hours=hour)).isoformat().replace("+00:00", "Z")


class History:
    """Build a list of events with unique ids; each method returns its event."""

    def __init__(self, prefix: str = "ev") -> None:
        self.events: list[Event] = []
        self._prefix = prefix
        self._ids = count(1)

    def add(self, type_: str, when: str, **fields: Any) -> Event:
        event = {
            "id": f"{self._prefix}-{next(self._ids):05d}",
            "type": type_,
            "occurred_at": when,
        }
        event.update(fields)
        self.events.append(event)
        return event

    def person(self, pid: str, name: str | None = None, day: float = 0) -> Event:
        info = {"id": pid, "name": name or pid.capitalize()}
        return self.add("participant.upserted", at(day), participant=info)

    def pair(self, loop: str, mentor: str, mentee: str, day: float = 1) -> Event:
        members = [
            {"participant": mentor, "role": "mentor"},
            {"participant": mentee, "role": "mentee"},
        ]
        return self.add(
            "loop.started", at(day), loop=loop, kind="one_to_one", members=members
        )

    def group(self, loop: str, *people: str, day: float = 1) -> Event:
        members = [{"participant": p, "role": "member"} for p in people]
        return self.add(
            "loop.started", at(day), loop=loop, kind="group", members=members
        )

    def meeting(
        self, loop: str, meeting: str, day: float, attendees: list[str] | None = None
    ) -> Event:
        fields: dict[str, Any] = {"loop": loop, "meeting": meeting}
        if attendees is not None:
            fields["attendees"] = attendees
        return self.add("meeting.completed", at(day), **fields)

    def survey(
        self,
        loop: str,
        respondent: str,
        score: int,
        day: float,
        kind: str = "mqs",
        response: str | None = None,
    ) -> Event:
        fields: dict[str, Any] = {
            "loop": loop,
            "survey": kind,
            "respondent": respondent,
            "score": score,
        }
        if response is not None:
            fields["response"] = response
        return self.add("survey.submitted", at(day), **fields)

    def kudos(
        self,
        loop: str,
        giver: str,
        recipient: str,
        day: float,
        category: str = "trust",
        feedback: str | None = None,
    ) -> Event:
        fields: dict[str, Any] = {
            "loop": loop,
            "giver": giver,
            "recipient": recipient,
            "category": category,
        }
        if feedback is not None:
            fields["feedback"] = feedback
        return self.add("kudos.given", at(day), **fields)

    def course(
        self, pid: str, passed: bool, day: float, course: str | None = None
    ) -> Event:
        fields: dict[str, Any] = {"participant": pid, "passed": passed}
        if course is not None:
            fields["course"] = course
        return self.add("course.completed", at(day), **fields)
