"""One program's recorded history, held in memory while events are applied.

The ledger loads what it needs from the event log (all of it for a file
import, only the people and loops a request names for the API) and turns
stored events back into the plain facts the badge rules read.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from mentorbadges.activity import events as ev
from mentorbadges.activity.models import Event
from mentorbadges.badges.rules import (
    PARTICIPANT_COURSE,
    CourseResult,
    LoopHistory,
    MeetingReport,
    MemberList,
    SurveyReport,
    Switch,
)
from mentorbadges.programs.models import Loop, Membership, Participant, Program

PERSON_EVENTS = ("participant.upserted", "participant.removed", "course.completed")


@dataclass(slots=True)
class Person:
    row: Participant
    switches: list[Switch] = field(default_factory=list)
    courses: list[CourseResult] = field(default_factory=list)
    loops: set[str] = field(default_factory=set)


@dataclass(slots=True)
class LoopEntry:
    row: Loop
    history: LoopHistory
    meetings_seen: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class ResponseOwner:
    loop: str
    survey: str
    respondent: str


class Ledger:
    def __init__(self, program: Program, *, complete: bool = False) -> None:
        self.program = program
        self.complete = complete
        self.people: dict[str, Person | None] = {}
        self.loops: dict[str, LoopEntry | None] = {}
        self.responses: dict[str, ResponseOwner] = {}
        # Each applied event's fingerprint, as its 32-byte digest: half the
        # memory of the hex text the event log stores.
        self.fingerprints: dict[str, bytes] = {}
        # Ids already looked for in the database, found or not.
        self._looked_up: set[str] = set()
        self._responses_looked_up: set[str] = set()

    @classmethod
    def load_all(cls, program: Program) -> "Ledger":
        """Load the whole history of a program: the path for large imports."""
        ledger = cls(program, complete=True)
        for row in Participant.objects.filter(program=program):
            ledger.people[row.external_id] = Person(row)
        for loop in Loop.objects.filter(program=program):
            ledger.loops[loop.external_id] = _new_entry(loop)
        stored = (
            Event.objects.filter(program=program)
            .order_by("pk")
            .values_list("event_id", "payload", "fingerprint")
        )
        for event_id, payload, print_ in stored.iterator(chunk_size=5000):
            ledger.fingerprints[event_id] = bytes.fromhex(print_)
            ledger.replay(_typed(payload))
        return ledger

    # Look-ups; in a partial ledger a miss is looked for in the database.

    def person(self, external_id: str) -> Person | None:
        if external_id not in self.people and not self.complete:
            self.load_people([external_id])
        return self.people.get(external_id)

    def loop(self, external_id: str) -> LoopEntry | None:
        if external_id not in self.loops and not self.complete:
            self.load_loops([external_id])
        return self.loops.get(external_id)

    def response(self, response_id: str) -> ResponseOwner | None:
        if response_id not in self._responses_looked_up and not self.complete:
            self.load_responses([response_id])
        return self.responses.get(response_id)

    def load_responses(self, response_ids: Iterable[str]) -> None:
        """Load the loops whose surveys were given these response ids."""
        wanted = [i for i in set(response_ids) if i not in self._responses_looked_up]
        if not wanted:
            return

        loops = Event.objects.filter(
            program=self.program, type="survey.submitted", subject__in=wanted
        ).values_list("loop__external_id", flat=True)
        self.load_loops(loop for loop in set(loops) if loop is not None)
        self._responses_looked_up.update(wanted)

    def fingerprint(self, event_id: str) -> str | None:
        """The fingerprint an applied event was stored with (hex), if any."""
        if event_id not in self._looked_up and not self.complete:
            self.load_fingerprints([event_id])
        digest = self.fingerprints.get(event_id)
        return digest.hex() if digest is not None else None

    def remember(self, event_id: str, fingerprint: str) -> None:
        self.fingerprints[event_id] = bytes.fromhex(fingerprint)

    def load_fingerprints(self, event_ids: Iterable[str]) -> None:
        wanted = [i for i in set(event_ids) if i not in self._looked_up]
        if not wanted:
            return

        found = Event.objects.filter(program=self.program, event_id__in=wanted)
        self.fingerprints.update(
            (event_id, bytes.fromhex(print_))
            for event_id, print_ in found.values_list("event_id", "fingerprint")
        )
        self._looked_up.update(wanted)

    def load_people(self, external_ids: Iterable[str]) -> None:
        wanted = {i for i in external_ids if i not in self.people}
        if not wanted:
            return

        rows = Participant.objects.filter(program=self.program, external_id__in=wanted)
        found = {row.pk: Person(row) for row in rows}
        for missing in wanted:
            self.people[missing] = None
        for person in found.values():
            self.people[person.row.external_id] = person
        if not found:
            return
        stored = (
            Event.objects.filter(participant_id__in=found, type__in=PERSON_EVENTS)
            .order_by("pk")
            .values_list("participant_id", "payload")
        )
        for pk, payload in stored:
            self._replay_person(found[pk], _typed(payload))
        memberships = Membership.objects.filter(participant_id__in=found).values_list(
            "participant_id", "loop__external_id"
        )
        for pk, loop in memberships:
            found[pk].loops.add(loop)

    def load_loops(self, external_ids: Iterable[str]) -> None:
        wanted = {i for i in external_ids if i not in self.loops}
        if not wanted:
            return

        rows = Loop.objects.filter(program=self.program, external_id__in=wanted)
        found = {row.pk: _new_entry(row) for row in rows}
        for missing in wanted:
            self.loops[missing] = None
        for entry in found.values():
            self.loops[entry.row.external_id] = entry
        if not found:
            return
        stored = (
            Event.objects.filter(loop_id__in=found)
            .exclude(type__in=(*PERSON_EVENTS, "kudos.given"))
            .order_by("pk")
        )
        for event in stored.values_list("payload", flat=True):
            self.replay(_typed(event))

    # Turning events into facts.

    def replay(self, event: ev.AnyEvent) -> None:
        """Record what an applied event says about people and loops."""
        match event:
            case (
                ev.ParticipantUpserted()
                | ev.ParticipantRemoved()
                | (ev.CourseCompleted())
            ):
                person = self.people.get(_person_id(event))
                if person is not None:
                    self._replay_person(person, event)
            case ev.SurveyRetracted():
                owner = self.responses.get(event.response)
                entry = self.loops.get(owner.loop) if owner else None
                if entry is not None:
                    entry.history.add_survey(
                        SurveyReport(
                            event.response, event.occurred_at, event.id, "", "", None
                        )
                    )
            case ev.KudosGiven():
                pass
            case _:
                entry = self.loops.get(event.loop)
                if entry is not None:
                    self._replay_loop(entry, event)

    def _replay_person(self, person: Person, event: ev.AnyEvent) -> None:
        match event:
            case ev.ParticipantUpserted():
                person.switches.append(Switch(event.occurred_at, event.id, True))
                person.switches.sort(key=lambda s: s.order)
            case ev.ParticipantRemoved():
                person.switches.append(Switch(event.occurred_at, event.id, False))
                person.switches.sort(key=lambda s: s.order)
            case ev.CourseCompleted():
                course = event.course or PARTICIPANT_COURSE
                person.courses.append(
                    CourseResult(event.occurred_at, course, event.passed)
                )

    def _replay_loop(self, entry: LoopEntry, event: ev.AnyEvent) -> None:
        history = entry.history
        match event:
            case ev.LoopStarted() | ev.LoopMembersChanged():
                members = {m.participant: m.role for m in event.members}
                history.add_member_list(
                    MemberList(event.occurred_at, event.id, members)
                )
                for person_id in members:
                    person = self.people.get(person_id)
                    if person is not None:
                        person.loops.add(event.loop)
            case ev.LoopClosed():
                history.add_switch(Switch(event.occurred_at, event.id, False))
            case ev.LoopReopened():
                history.add_switch(Switch(event.occurred_at, event.id, True))
            case ev.MeetingCompleted():
                attendees = frozenset(event.attendees) if event.attendees else None
                history.add_meeting(
                    MeetingReport(event.meeting, event.occurred_at, event.id, attendees)
                )
                entry.meetings_seen.add(event.meeting)
            case ev.MeetingRetracted():
                history.add_meeting(
                    MeetingReport(
                        event.meeting, event.occurred_at, event.id, retracted=True
                    )
                )
            case ev.SurveySubmitted():
                response = event.response_id
                history.add_survey(
                    SurveyReport(
                        response,
                        event.occurred_at,
                        event.id,
                        event.survey,
                        event.respondent,
                        event.score,
                    )
                )
                self.responses[response] = ResponseOwner(
                    event.loop, event.survey, event.respondent
                )


def _typed(payload: dict[str, object]) -> ev.AnyEvent:
    return ev.EVENT_TYPES[str(payload["type"])].model_validate(payload)  # type: ignore[return-value]


def _person_id(
    event: ev.ParticipantUpserted | ev.ParticipantRemoved | ev.CourseCompleted,
) -> str:
    if isinstance(event, ev.ParticipantUpserted):
        return event.participant.id
    return event.participant


def _new_entry(loop: Loop) -> LoopEntry:
    return LoopEntry(loop, LoopHistory(loop.external_id, loop.kind, loop.started_at))
