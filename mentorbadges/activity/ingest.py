"""Apply events: validate, check them against the history, record, award.

The same ``Ingestor`` serves a file import (whole program in memory, awards
settled once at the end) and an API request (only what it names is loaded,
awards settled after each event so each result lists what it produced).
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from mentorbadges.activity import events as ev
from mentorbadges.activity.events import Refusal
from mentorbadges.activity.ledger import Ledger, LoopEntry, Person
from mentorbadges.activity.models import Event, Rejection
from mentorbadges.badges.catalogue import KUDOS_CODES
from mentorbadges.badges.engine import AwardBook, Settlement, kudos_key
from mentorbadges.badges.models import Award
from mentorbadges.badges.rules import LoopHistory, is_active_at, kudos_refusal
from mentorbadges.lib.bulk import insert_instances, insert_rows, update_instances
from mentorbadges.programs.models import Loop, Membership, Participant, Program

logger = logging.getLogger(__name__)

APPLIED = "applied"
DUPLICATE = "duplicate"
REJECTED = "rejected"
ERASED = "participant_erased"
CONTENT_LIMIT = 20_000


@dataclass(slots=True)
class _EventRow:
    """An applied event waiting to be written (lighter than a model instance)."""

    event: ev.AnyEvent
    payload: str
    fingerprint: str
    loop: Loop | None = None
    participant: Participant | None = None
    subject: str = ""


@dataclass
class KudosPrompt:
    loop: str
    giver: str
    recipients: list[str]


@dataclass
class Outcome:
    event_id: str | None
    status: str
    reason: str = ""
    detail: str = ""
    line: int | None = None
    awards: list[Award] = field(default_factory=list)
    revoked: list[Award] = field(default_factory=list)
    kudos_prompt: KudosPrompt | None = None


class Ingestor:
    def __init__(
        self,
        program: Program,
        *,
        source: str,
        complete: bool = False,
        state: tuple[Ledger, AwardBook] | None = None,
    ) -> None:
        """Start from the whole history (``complete``), a kept state, or nothing."""
        self.program = program
        self.source = source
        self.settle_each = not complete
        if complete:
            self.ledger = Ledger.load_all(program)
            self.book = AwardBook(program)
            self.book.load_all(self.ledger)
        elif state is not None:
            self.ledger, self.book = state
        else:
            self.ledger = Ledger(program)
            self.book = AwardBook(program)
        self.counts: Counter[str] = Counter()
        self._people: list[Participant] = []
        self._loops: list[Loop] = []
        self._events: list[_EventRow] = []
        self._kudos: list[tuple[Award, str]] = []
        self._kudos_given: list[Award] = []
        self._rejections: list[Rejection] = []
        self._touched_people: dict[str, Participant] = {}
        self._touched_loops: dict[str, Loop] = {}
        self._member_lists_changed: set[str] = set()
        self._dirty_loops: set[str] = set()
        self._dirty_people: set[str] = set()
        self._outcome: Outcome | None = None

    def prefetch(self, items: list[object]) -> None:
        """Load in a few queries what a batch of events refers to."""
        ids, people, loops, responses = set(), set(), set(), set()
        for item in items:
            if not isinstance(item, dict):
                continue
            ids.add(_text(item.get("id")))
            loops.add(_text(item.get("loop")))
            if str(item.get("type")).startswith("survey."):
                # A response is named by its own id, else by its event's.
                responses.add(_text(item.get("response") or item.get("id")))
            for name in ("giver", "recipient", "respondent", "participant"):
                value = item.get(name)
                people.add(_text(value.get("id") if isinstance(value, dict) else value))
            members = item.get("members")
            for member in members if isinstance(members, list) else ():
                if isinstance(member, dict):
                    people.add(_text(member.get("participant")))
            attendees = item.get("attendees")
            if isinstance(attendees, list):
                people.update(_text(a) for a in attendees)
        for wanted in (ids, people, loops, responses):
            wanted.discard("")
            # PostgreSQL cannot compare text holding NUL; validation refuses
            # such ids anyway, so they need no look-up.
            wanted.difference_update({i for i in wanted if "\x00" in i})
        ledger = self.ledger
        ledger.load_fingerprints(ids)
        ledger.load_people(people)
        ledger.load_responses(responses)

        # Settling reads the loops of the people named and everyone in those
        # loops, and the awards they hold: load them now, together. Only what
        # this batch names is walked, however much a kept ledger holds.
        named = [person for key in people if (person := ledger.people.get(key))]
        touched = loops | {loop for person in named for loop in person.loops}
        touched |= {
            owner.loop for key in responses if (owner := ledger.responses.get(key))
        }
        ledger.load_loops(touched)
        entries = [entry for key in touched if (entry := ledger.loops.get(key))]
        ledger.load_people(
            member for entry in entries for member in entry.history.ever_members()
        )
        self.book.load_some(
            ledger, [entry.row for entry in entries], [person.row for person in named]
        )

    def submit(
        self, data: object, *, line: int | None = None, text: str | None = None
    ) -> Outcome:
        """Apply one event (already parsed from JSON) and say what happened."""
        event_id = _event_id(data)
        try:
            event = ev.validate_event(data)
            content = ev.canonical(event)
            print_ = ev.fingerprint(content)
            known = self.ledger.fingerprint(event.id)
            if known == print_:
                self.counts[DUPLICATE] += 1
                return Outcome(event.id, DUPLICATE, line=line)
            if known is not None:
                raise Refusal(
                    "conflict",
                    f"The event id '{event.id}' was already applied with other "
                    "content; the original is kept.",
                )
            self._outcome = Outcome(event.id, APPLIED, line=line)
            self._apply(event, content, print_)
        except Refusal as refusal:
            self.reject(data, refusal, line=line, text=text)
            return Outcome(event_id, REJECTED, refusal.reason, refusal.detail, line)

        outcome = self._outcome
        self.ledger.remember(event.id, print_)
        self.counts[APPLIED] += 1
        if self.settle_each:
            settlement = self._settle()
            outcome.awards.extend(settlement.granted)
            outcome.revoked.extend(settlement.revoked)
        return outcome

    def reject(
        self,
        data: object,
        refusal: Refusal,
        *,
        line: int | None = None,
        text: str | None = None,
    ) -> None:
        """Keep a refused event with its reason."""
        self.counts[REJECTED] += 1
        fields = data if isinstance(data, dict) else {}
        if refusal.reason == ERASED:
            # Keeping the refused event must not keep the data it was refused for.
            text = json.dumps(_without_personal_data(fields), ensure_ascii=False)
        elif text is None:
            text = json.dumps(data, ensure_ascii=False, default=str)
        occurred_at = None
        try:
            occurred_at = ev.parse_instant(fields.get("occurred_at"))
        except Exception:
            occurred_at = None
        kind = fields.get("type")
        content = _clean(text, CONTENT_LIMIT)
        self._rejections.append(
            Rejection(
                program=self.program,
                event_id=_clean(_event_id(data) or "", 200),
                type=_clean(kind if isinstance(kind, str) else "", 64),
                occurred_at=occurred_at,
                reason=refusal.reason,
                detail=_clean(refusal.detail, 1000),
                content=content,
                source=self.source,
                line=line,
                digest=ev.fingerprint(f"{refusal.reason}\n{content}"),
            )
        )
        logger.debug("Rejected an event: %s", refusal.reason)

    def mark_everything_dirty(self) -> None:
        """Make the next settle re-derive every loop and person of the program."""
        self._dirty_loops = {k for k, v in self.ledger.loops.items() if v}
        self._dirty_people = {k for k, v in self.ledger.people.items() if v}
        self._member_lists_changed = set(self._dirty_loops)

    def finish(self) -> list[Award]:
        """Settle what is left, write everything, and return the awards granted."""
        self._settle()
        self.flush()
        update_instances(
            Participant,
            list(self._touched_people.values()),
            ["name", "sort_name", "email", "named_at", "active"],
        )
        update_instances(Loop, list(self._touched_loops.values()), ["is_open"])
        self._rebuild_memberships()
        self.book.flush()
        return [*self._kudos_given, *self.book.granted]

    def flush(self) -> None:
        """Write the rows gathered so far (called now and then by long imports)."""
        insert_instances(Participant, self._people)
        insert_instances(Loop, self._loops)
        # Rows just created hold their latest state; only later changes update.
        for person in self._people:
            self._touched_people.pop(person.external_id, None)
        for loop in self._loops:
            self._touched_loops.pop(loop.external_id, None)
        self._write_kudos(self._write_events())
        Rejection.objects.bulk_create(self._new_rejections(), batch_size=1000)
        self._people, self._loops, self._events = [], [], []
        self._kudos, self._rejections = [], []

    def _new_rejections(self) -> list[Rejection]:
        """Drop refusals already kept: a retried batch or file is not news."""
        pending = {row.digest: row for row in self._rejections}
        digests = list(pending)
        for start in range(0, len(digests), 500):
            kept = Rejection.objects.filter(
                program=self.program, digest__in=digests[start : start + 500]
            ).values_list("digest", flat=True)
            for digest in kept:
                del pending[digest]
        return list(pending.values())

    def _write_events(self) -> dict[str, int]:
        """Write the applied events; return their primary keys by event id."""
        now = timezone.now()
        program = self.program.pk
        source = self.source
        ids = insert_rows(
            Event,
            _EVENT_COLUMNS,
            [
                (
                    program,
                    row.event.id,
                    row.event.type,
                    row.event.occurred_at,
                    row.loop.pk if row.loop else None,
                    row.participant.pk if row.participant else None,
                    row.subject,
                    row.payload,
                    row.fingerprint,
                    source,
                    now,
                )
                for row in self._events
            ],
        )
        return {row.event.id: pk for row, pk in zip(self._events, ids, strict=True)}

    def _write_kudos(self, events: dict[str, int]) -> None:
        for award, event_id in self._kudos:
            award.event_id = events[event_id]
        insert_instances(Award, [award for award, _ in self._kudos])

    def _settle(self) -> Settlement:
        settlement = self.book.settle(
            self.ledger, self._dirty_loops, self._dirty_people
        )
        self._dirty_loops, self._dirty_people = set(), set()
        return settlement

    def _rebuild_memberships(self) -> None:
        changed = [self.ledger.loops[key] for key in self._member_lists_changed]
        entries = [entry for entry in changed if entry is not None]
        if not entries:
            return

        Membership.objects.filter(loop__in=[e.row for e in entries]).delete()
        rows: list[Membership] = []
        for entry in entries:
            rows.extend(self._memberships(entry))
        insert_instances(Membership, rows)

    def _memberships(self, entry: LoopEntry) -> list[Membership]:
        rows: list[Membership] = []
        current: dict[str, Membership] = {}
        for item in entry.history.member_lists:
            for person_id, row in list(current.items()):
                if item.members.get(person_id) != row.role:
                    row.left_at = item.at
                    del current[person_id]
            for person_id, role in item.members.items():
                if person_id in current:
                    continue
                person = self.ledger.people[person_id]
                assert person is not None
                row = Membership(
                    program=self.program,
                    loop=entry.row,
                    participant=person.row,
                    role=role,
                    joined_at=item.at,
                )
                current[person_id] = row
                rows.append(row)
        return rows

    # The events, one by one: every check first, then the change.

    def _apply(self, event: ev.AnyEvent, content: str, print_: str) -> None:
        row = _EventRow(event, content, print_)
        match event:
            case ev.ParticipantUpserted():
                row.participant = self._upsert(event)
            case ev.ParticipantRemoved():
                person = self._person(event.participant)
                row.participant = person.row
                self._record_person(person, event)
            case ev.CourseCompleted():
                person = self._person(event.participant)
                row.participant = person.row
                self.ledger.replay(event)
                self._dirty_people.add(event.participant)
            case ev.LoopStarted():
                row.loop = self._start_loop(event)
            case ev.KudosGiven():
                self._give_kudos(event, row)
            case ev.SurveyRetracted():
                owner = self.ledger.response(event.response)
                if owner is None:
                    raise Refusal(
                        "unknown_response",
                        f"No survey response '{event.response}' has been received.",
                    )
                entry = self._loop(owner.loop, event.occurred_at, check_start=False)
                row.loop = entry.row
                row.subject = event.response
                self.ledger.replay(event)
                self._dirty_loops.add(owner.loop)
            case _:
                row.loop = self._loop_event(event, row)
        self._events.append(row)

    def _person(self, external_id: str) -> Person:
        person = self.ledger.person(external_id)
        if person is None:
            raise Refusal(
                "unknown_participant",
                f"No participant '{external_id}' is known in this program.",
            )
        return person

    def _loop(self, external_id: str, at: datetime, *, check_start: bool) -> LoopEntry:
        entry = self.ledger.loop(external_id)
        if entry is None:
            raise Refusal(
                "unknown_loop", f"No loop '{external_id}' is known in this program."
            )
        if check_start and at < entry.row.started_at:
            raise Refusal(
                "before_loop_start",
                f"The loop '{external_id}' started at "
                f"{entry.row.started_at.isoformat()}, after this event.",
            )
        return entry

    def _is_active(self, external_id: str, at: datetime) -> bool:
        person = self.ledger.person(external_id)
        return person is not None and is_active_at(person.switches, at)

    def _upsert(self, event: ev.ParticipantUpserted) -> Participant:
        info = event.participant
        person = self.ledger.person(info.id)
        if person is not None and person.row.erased_at is not None:
            raise Refusal(
                ERASED,
                f"The participant '{info.id}' had their personal data erased; "
                "their name and e-mail are no longer taken.",
            )
        if person is None:
            row = Participant(
                program=self.program,
                external_id=info.id,
                email=info.email or "",
                named_at=event.occurred_at,
            )
            row.rename(info.name)
            person = Person(row)
            self.ledger.people[info.id] = person
            self._people.append(row)
        elif event.occurred_at >= person.row.named_at:
            person.row.rename(info.name)
            person.row.named_at = event.occurred_at
            if info.email is not None:
                person.row.email = info.email
        self._record_person(person, event)
        return person.row

    def _record_person(self, person: Person, event: ev.AnyEvent) -> None:
        self.ledger.replay(event)
        person.row.active = person.switches[-1].on
        self._touched_people[person.row.external_id] = person.row

    def _check_members(self, kind: str, members: list[ev.Member], at: datetime) -> None:
        seen: set[str] = set()
        for member in members:
            if member.participant in seen:
                raise Refusal(
                    "invalid_members",
                    f"The participant '{member.participant}' is listed twice.",
                )
            seen.add(member.participant)
            self._person(member.participant)
            if not self._is_active(member.participant, at):
                raise Refusal(
                    "participant_inactive",
                    f"The participant '{member.participant}' is not active in the "
                    "program at that time.",
                )
        roles = sorted(member.role for member in members)
        if kind == Loop.ONE_TO_ONE and roles != ["mentee", "mentor"]:
            raise Refusal(
                "invalid_members",
                "A one-to-one loop has exactly one mentor and one mentee.",
            )

    def _start_loop(self, event: ev.LoopStarted) -> Loop:
        if self.ledger.loop(event.loop) is not None:
            raise Refusal(
                "loop_exists", f"The loop '{event.loop}' has already started."
            )
        self._check_members(event.kind, event.members, event.occurred_at)

        row = Loop(
            program=self.program,
            external_id=event.loop,
            kind=event.kind,
            started_at=event.occurred_at,
        )
        entry = LoopEntry(row, LoopHistory(event.loop, event.kind, event.occurred_at))
        self.ledger.loops[event.loop] = entry
        self._loops.append(row)
        self.ledger.replay(event)
        self._member_lists_changed.add(event.loop)
        self._dirty_loops.add(event.loop)
        return row

    def _loop_event(self, event: ev.AnyEvent, row: _EventRow) -> Loop:
        assert isinstance(
            event,
            ev.LoopMembersChanged
            | ev.LoopClosed
            | ev.LoopReopened
            | ev.MeetingCompleted
            | ev.MeetingRetracted
            | ev.SurveySubmitted,
        )
        at = event.occurred_at
        entry = self._loop(event.loop, at, check_start=True)
        history = entry.history
        match event:
            case ev.LoopMembersChanged():
                self._check_members(entry.row.kind, event.members, at)
                self._member_lists_changed.add(event.loop)
            case ev.LoopClosed():
                if not history.is_open_at(at):
                    raise Refusal(
                        "loop_closed", f"The loop '{event.loop}' is already closed."
                    )
            case ev.LoopReopened():
                if history.is_open_at(at):
                    raise Refusal(
                        "loop_open", f"The loop '{event.loop}' is already open."
                    )
            case ev.MeetingCompleted():
                row.subject = event.meeting
                members = history.members_at(at)
                for person_id in event.attendees or ():
                    self._person(person_id)
                    if person_id not in members:
                        raise Refusal(
                            "not_a_member",
                            f"The attendee '{person_id}' is not a member of the "
                            f"loop '{event.loop}' at that time.",
                        )
            case ev.MeetingRetracted():
                row.subject = event.meeting
                if event.meeting not in entry.meetings_seen:
                    raise Refusal(
                        "unknown_meeting",
                        f"No meeting '{event.meeting}' has been reported for the "
                        f"loop '{event.loop}'.",
                    )
            case ev.SurveySubmitted():
                row.subject = event.response_id
                row.participant = self._check_survey(event, entry).row
        self.ledger.replay(event)
        if isinstance(event, ev.LoopClosed | ev.LoopReopened):
            entry.row.is_open = entry.history.switches[-1].on
            self._touched_loops[event.loop] = entry.row
        self._dirty_loops.add(event.loop)
        return entry.row

    def _check_survey(self, event: ev.SurveySubmitted, entry: LoopEntry) -> Person:
        person = self._person(event.respondent)
        at = event.occurred_at
        if event.respondent not in entry.history.members_at(at):
            raise Refusal(
                "not_a_member",
                f"The respondent '{event.respondent}' is not a member of the loop "
                f"'{event.loop}' at that time.",
            )
        owner = self.ledger.response(event.response_id)
        if owner is not None and (owner.loop, owner.survey, owner.respondent) != (
            event.loop,
            event.survey,
            event.respondent,
        ):
            raise Refusal(
                "response_mismatch",
                f"The response '{event.response_id}' was first given for another "
                "loop, survey or respondent.",
            )
        if event.score >= 4 and self._outcome is not None:
            self._outcome.kudos_prompt = self._prompt(entry, event.respondent, at)
        return person

    def _prompt(self, entry: LoopEntry, giver: str, at: datetime) -> KudosPrompt | None:
        history = entry.history
        recipients = sorted(
            person
            for person in history.members_at(at)
            if kudos_refusal(history, giver, person, at, self._is_active) is None
        )
        if not recipients:
            return None
        return KudosPrompt(entry.row.external_id, giver, recipients)

    def _give_kudos(self, event: ev.KudosGiven, row: _EventRow) -> None:
        if event.category not in KUDOS_CODES:
            raise Refusal(
                "unknown_category",
                f"'{event.category[:80]}' is not a kudos category; use one of "
                f"{', '.join(sorted(KUDOS_CODES))}.",
            )
        if len(event.note) > ev.FEEDBACK_LIMIT:
            raise Refusal(
                "feedback_too_long",
                f"The feedback has {len(event.note)} characters; the limit is "
                f"{ev.FEEDBACK_LIMIT}.",
            )
        if event.giver == event.recipient:
            raise Refusal(
                "self_kudos", "A participant cannot give kudos to themselves."
            )
        entry = self._loop(event.loop, event.occurred_at, check_start=False)
        giver = self._person(event.giver)
        recipient = self._person(event.recipient)
        refusal = kudos_refusal(
            entry.history,
            event.giver,
            event.recipient,
            event.occurred_at,
            self._is_active,
        )
        if refusal is not None:
            raise Refusal(refusal, _KUDOS_REFUSALS[refusal].format(loop=event.loop))

        row.loop = entry.row
        row.participant = giver.row
        award = Award(
            program=self.program,
            stable_key=kudos_key(event.id),
            badge=event.category,
            recipient=recipient.row,
            loop=entry.row,
            awarded_at=event.occurred_at,
            giver=giver.row,
            feedback=event.note,
        )
        self._kudos.append((award, event.id))
        self._kudos_given.append(award)
        if self._outcome is not None:
            self._outcome.awards.append(award)


_EVENT_COLUMNS = (
    "program",
    "event_id",
    "type",
    "occurred_at",
    "loop",
    "participant",
    "subject",
    "payload",
    "fingerprint",
    "source",
    "received_at",
)

_KUDOS_REFUSALS = {
    "not_a_member": "The giver and the recipient must both be members of the loop "
    "'{loop}' when the kudos is given.",
    "participant_inactive": "The giver and the recipient must both be active in the "
    "program when the kudos is given.",
    "loop_closed": "The loop '{loop}' is closed.",
    "no_meeting_yet": "Kudos can be given once the loop '{loop}' has had its first "
    "completed meeting.",
}


def _text(value: object) -> str:
    """An id to look for: a non-empty string as it is, else nothing."""
    return value if isinstance(value, str) else ""


def _event_id(data: object) -> str | None:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return str(data["id"])
    return None


def _without_personal_data(fields: dict[str, object]) -> dict[str, object]:
    about = fields.get("participant")
    kept: dict[str, object] = {
        key: fields[key] for key in ("id", "type", "occurred_at") if key in fields
    }
    if isinstance(about, dict):
        kept["participant"] = {"id": about.get("id")}
    return kept


def _clean(text: str, limit: int) -> str:
    """Make text safe to store in any database: no NUL, bounded length."""
    return text.replace("\x00", "\\u0000")[:limit]
