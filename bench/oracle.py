"""Recompute the all-badges CSV from a JSON Lines event file, independently.

This is a second, deliberately plain reading of the badge rules (with the
decisions in docs/rules.md) and of the all-badges CSV format. It shares no code
with the service, so that the service's export can be compared with it byte for
byte.

The file is applied as one file: events in occurred_at order (ties keep file
order), each judged against the history recorded before it, at its own instant.
Achievements are then derived from the whole recorded history.

Usage: python bench/oracle.py FILE [--tz Europe/Paris] [--output OUT]
       [--summary]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

KUDOS_NAMES = {
    "trust": "Trust",
    "networking": "Networking",
    "expertise": "Expertise",
    "commitment": "Commitment",
    "creativity": "Creativity",
}
ACHIEVEMENT_NAMES = {
    "excellence": "Excellence",
    "momentum": "Momentum",
    "growing_together": "Growing Together",
    "certified": "Certified",
    "champion": "Champion",
}
LEVEL_NAMES = {0: "", 1: "Bronze", 2: "Silver", 3: "Gold"}
MOMENTUM_THRESHOLDS = (5, 10, 15)
EXCELLENCE_THRESHOLDS = (3, 6, 9)
GOLD = 3

PARTICIPANT_COURSE = "participant"
FEEDBACK_LIMIT = 1000
ID_LIMIT = 200
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
ROLES = frozenset({"mentor", "mentee", "member"})
LOOP_KINDS = frozenset({"one_to_one", "group"})
SURVEY_KINDS = frozenset({"mqs", "post_meeting"})

HEADER = (
    "awarded_at",
    "type",
    "badge",
    "level",
    "recipient_id",
    "recipient_name",
    "giver_id",
    "giver_name",
    "loop_id",
    "feedback",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COMMON_FIELDS = frozenset({"id", "type", "occurred_at"})
# Each event type: (required fields, optional fields), beside the common ones.
EVENT_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "participant.upserted": (frozenset({"participant"}), frozenset()),
    "participant.removed": (frozenset({"participant"}), frozenset()),
    "loop.started": (frozenset({"loop", "kind", "members"}), frozenset()),
    "loop.members_changed": (frozenset({"loop", "members"}), frozenset()),
    "loop.closed": (frozenset({"loop"}), frozenset()),
    "loop.reopened": (frozenset({"loop"}), frozenset()),
    "meeting.completed": (frozenset({"loop", "meeting"}), frozenset({"attendees"})),
    "meeting.retracted": (frozenset({"loop", "meeting"}), frozenset()),
    "survey.submitted": (
        frozenset({"loop", "survey", "respondent", "score"}),
        frozenset({"response", "meeting"}),
    ),
    "survey.retracted": (frozenset({"response"}), frozenset()),
    "course.completed": (frozenset({"participant", "passed"}), frozenset({"course"})),
    "kudos.given": (
        frozenset({"loop", "giver", "recipient", "category"}),
        frozenset({"feedback"}),
    ),
}


class Rejected(Exception):
    """An event that breaks a rule, with the stable code of the rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The recorded history ------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change of a time-indexed state: the latest at or before t wins."""

    at: datetime
    event_id: str
    value: Any


@dataclass(frozen=True)
class Report:
    """One report about a meeting or one version of a survey response."""

    at: datetime
    event_id: str
    retracted: bool
    attendees: tuple[str, ...] = ()
    score: int = 0

    def rank(self) -> tuple[datetime, bool, str]:
        """Order reports by time, then a retraction last, then event id."""
        return (self.at, self.retracted, self.event_id)


@dataclass
class Participant:
    names: list[Change] = field(default_factory=list)
    activity: list[Change] = field(default_factory=list)


@dataclass
class Loop:
    kind: str
    started_at: datetime
    memberships: list[Change] = field(default_factory=list)
    openness: list[Change] = field(default_factory=list)
    meetings: dict[str, list[Report]] = field(default_factory=dict)


@dataclass
class Response:
    loop: str
    respondent: str
    survey: str
    versions: list[Report] = field(default_factory=list)


@dataclass(frozen=True)
class Kudos:
    event_id: str
    at: datetime
    loop: str
    giver: str
    recipient: str
    category: str
    feedback: str


@dataclass
class Ledger:
    """Everything recorded so far, and the outcome of every line."""

    participants: dict[str, Participant] = field(default_factory=dict)
    loops: dict[str, Loop] = field(default_factory=dict)
    responses: dict[str, Response] = field(default_factory=dict)
    course_passes: dict[str, list[datetime]] = field(default_factory=dict)
    kudos: list[Kudos] = field(default_factory=list)
    applied: dict[str, str] = field(default_factory=dict)
    outcomes: dict[int, str] = field(default_factory=dict)


def state_at(changes: list[Change], at: datetime) -> Any:
    """Return the value of the latest change at or before `at`, or None."""
    earlier = [change for change in changes if change.at <= at]
    if not earlier:
        return None
    return max(earlier, key=lambda change: (change.at, change.event_id)).value


def members_at(loop: Loop, at: datetime) -> dict[str, str]:
    """Return the loop's members (participant to role) at an instant."""
    members: dict[str, str] | None = state_at(loop.memberships, at)
    return members or {}


def is_open(loop: Loop, at: datetime) -> bool:
    return state_at(loop.openness, at) is not False


def is_active(participant: Participant, at: datetime) -> bool:
    return state_at(participant.activity, at) is not False


def latest_report(reports: Iterable[Report]) -> Report | None:
    return max(reports, key=Report.rank, default=None)


# Reading and checking fields -----------------------------------------------


def parse_instant(value: Any) -> datetime:
    """Return the UTC instant of an ISO 8601 timestamp with an offset."""
    if not isinstance(value, str):
        raise Rejected("invalid_timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected("invalid_timestamp") from None
    if parsed.utcoffset() is None:
        raise Rejected("invalid_timestamp")

    instant = parsed.astimezone(UTC)
    if not EARLIEST <= instant < LATEST:
        raise Rejected("invalid_timestamp")
    return instant


def check_id(value: Any) -> str:
    """Return a valid id: 1 to 200 characters, no control character."""
    if not isinstance(value, str) or not 1 <= len(value) <= ID_LIMIT:
        raise Rejected("invalid_id")
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise Rejected("invalid_id")
    return value


def check_fields(body: dict[str, Any]) -> None:
    """Refuse unknown and missing fields; an optional null counts as absent."""
    required, optional = EVENT_FIELDS[body["type"]]
    if set(body) - COMMON_FIELDS - required - optional:
        raise Rejected("unknown_field")
    if any(body.get(name) is None for name in required):
        raise Rejected("missing_field")


def known_participant(ledger: Ledger, participant_id: str) -> Participant:
    participant = ledger.participants.get(participant_id)
    if participant is None:
        raise Rejected("unknown_participant")
    return participant


def known_loop(ledger: Ledger, loop_id: str, at: datetime) -> Loop:
    """Return a recorded loop that an event at `at` may refer to."""
    loop = ledger.loops.get(loop_id)
    if loop is None:
        raise Rejected("unknown_loop")
    if at < loop.started_at:
        raise Rejected("before_loop_start")
    return loop


def check_members(ledger: Ledger, value: Any, kind: str) -> dict[str, str]:
    """Return a valid member list as participant to role."""
    if not isinstance(value, list):
        raise Rejected("invalid_members")

    members: dict[str, str] = {}
    for entry in value:
        if not isinstance(entry, dict):
            raise Rejected("invalid_members")
        if set(entry) - {"participant", "role"}:
            raise Rejected("unknown_field")
        participant_id = check_id(entry.get("participant"))
        known_participant(ledger, participant_id)
        if participant_id in members:
            raise Rejected("invalid_members")
        members[participant_id] = check_choice(
            entry.get("role"), ROLES, "invalid_members"
        )

    if kind == "one_to_one" and sorted(members.values()) != ["mentee", "mentor"]:
        raise Rejected("invalid_members")
    return members


def optional_id(body: dict[str, Any], name: str) -> str | None:
    """Return an optional id field, None when absent or null."""
    value = body.get(name)
    return None if value is None else check_id(value)


def check_choice(value: Any, choices: Iterable[str], reason: str) -> str:
    """Return a value that is one of the allowed strings."""
    if not isinstance(value, str) or value not in choices:
        raise Rejected(reason)
    return value


def check_member_at(loop: Loop, participant_id: str, at: datetime) -> None:
    if participant_id not in members_at(loop, at):
        raise Rejected("not_a_member")


# Applying each type of event -----------------------------------------------


def apply_participant_upserted(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    person = body["participant"]
    if not isinstance(person, dict):
        raise Rejected("invalid_participant")
    if set(person) - {"id", "name", "email"}:
        raise Rejected("unknown_field")
    participant_id = check_id(person.get("id"))
    name = person.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Rejected("invalid_name")
    email = person.get("email")
    if email is not None and not isinstance(email, str):
        raise Rejected("invalid_email")

    participant = ledger.participants.setdefault(participant_id, Participant())
    participant.names.append(Change(at, event_id, name))
    participant.activity.append(Change(at, event_id, True))


def apply_participant_removed(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    participant = known_participant(ledger, check_id(body["participant"]))
    participant.activity.append(Change(at, event_id, False))


def apply_loop_started(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop_id = check_id(body["loop"])
    kind = check_choice(body["kind"], LOOP_KINDS, "invalid_kind")
    if loop_id in ledger.loops:
        raise Rejected("loop_exists")
    members = check_members(ledger, body["members"], kind)

    loop = Loop(kind=kind, started_at=at)
    loop.memberships.append(Change(at, event_id, members))
    ledger.loops[loop_id] = loop


def apply_loop_members_changed(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop = known_loop(ledger, check_id(body["loop"]), at)
    members = check_members(ledger, body["members"], loop.kind)
    loop.memberships.append(Change(at, event_id, members))


def apply_loop_closed(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop = known_loop(ledger, check_id(body["loop"]), at)
    if not is_open(loop, at):
        raise Rejected("loop_closed")
    loop.openness.append(Change(at, event_id, False))


def apply_loop_reopened(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop = known_loop(ledger, check_id(body["loop"]), at)
    if is_open(loop, at):
        raise Rejected("loop_open")
    loop.openness.append(Change(at, event_id, True))


def apply_meeting_completed(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop = known_loop(ledger, check_id(body["loop"]), at)
    meeting_id = check_id(body["meeting"])
    listed = body.get("attendees", [])
    if listed is None:
        listed = []
    if not isinstance(listed, list):
        raise Rejected("invalid_attendees")
    attendees = tuple(dict.fromkeys(check_id(item) for item in listed))
    for attendee in attendees:
        check_member_at(loop, attendee, at)

    report = Report(at, event_id, retracted=False, attendees=attendees)
    loop.meetings.setdefault(meeting_id, []).append(report)


def apply_meeting_retracted(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop = known_loop(ledger, check_id(body["loop"]), at)
    reports = loop.meetings.get(check_id(body["meeting"]))
    if reports is None:
        raise Rejected("unknown_meeting")
    reports.append(Report(at, event_id, retracted=True))


def apply_survey_submitted(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop_id = check_id(body["loop"])
    loop = known_loop(ledger, loop_id, at)
    survey = check_choice(body["survey"], SURVEY_KINDS, "invalid_survey")
    respondent = check_id(body["respondent"])
    known_participant(ledger, respondent)
    score = body["score"]
    if type(score) is not int or not 1 <= score <= 5:
        raise Rejected("invalid_score")
    response_id = optional_id(body, "response") or event_id
    optional_id(body, "meeting")
    check_member_at(loop, respondent, at)

    response = ledger.responses.get(response_id)
    if response is None:
        response = Response(loop=loop_id, respondent=respondent, survey=survey)
        ledger.responses[response_id] = response
    elif (response.loop, response.respondent, response.survey) != (
        loop_id,
        respondent,
        survey,
    ):
        raise Rejected("response_mismatch")
    response.versions.append(Report(at, event_id, retracted=False, score=score))


def apply_survey_retracted(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    response = ledger.responses.get(check_id(body["response"]))
    if response is None:
        raise Rejected("unknown_response")
    response.versions.append(Report(at, event_id, retracted=True))


def apply_course_completed(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    participant_id = check_id(body["participant"])
    known_participant(ledger, participant_id)
    if not isinstance(body["passed"], bool):
        raise Rejected("invalid_passed")
    course = optional_id(body, "course") or PARTICIPANT_COURSE

    if course == PARTICIPANT_COURSE and body["passed"]:
        ledger.course_passes.setdefault(participant_id, []).append(at)


def apply_kudos_given(
    ledger: Ledger, event_id: str, at: datetime, body: dict[str, Any]
) -> None:
    loop_id = check_id(body["loop"])
    giver_id = check_id(body["giver"])
    recipient_id = check_id(body["recipient"])
    feedback = body.get("feedback")
    if feedback is None:
        feedback = ""
    if not isinstance(feedback, str):
        raise Rejected("invalid_feedback")
    feedback = feedback.strip()

    # The reasons, in the order that docs/rules.md fixes.
    category = check_choice(body["category"], KUDOS_NAMES, "unknown_category")
    if len(feedback) > FEEDBACK_LIMIT:
        raise Rejected("feedback_too_long")
    if giver_id == recipient_id:
        raise Rejected("self_kudos")
    loop = ledger.loops.get(loop_id)
    if loop is None:
        raise Rejected("unknown_loop")
    giver = known_participant(ledger, giver_id)
    recipient = known_participant(ledger, recipient_id)
    members = members_at(loop, at)
    if giver_id not in members or recipient_id not in members:
        raise Rejected("not_a_member")
    if not (is_active(giver, at) and is_active(recipient, at)):
        raise Rejected("participant_removed")
    if not is_open(loop, at):
        raise Rejected("loop_closed")
    if not has_met(loop, at):
        raise Rejected("no_meeting_yet")

    ledger.kudos.append(
        Kudos(event_id, at, loop_id, giver_id, recipient_id, category, feedback)
    )


def has_met(loop: Loop, at: datetime) -> bool:
    """Tell whether the loop has a completed meeting at or before `at`."""
    for reports in loop.meetings.values():
        latest = latest_report(report for report in reports if report.at <= at)
        if latest is not None and not latest.retracted:
            return True
    return False


Handler = Callable[[Ledger, str, datetime, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {
    "participant.upserted": apply_participant_upserted,
    "participant.removed": apply_participant_removed,
    "loop.started": apply_loop_started,
    "loop.members_changed": apply_loop_members_changed,
    "loop.closed": apply_loop_closed,
    "loop.reopened": apply_loop_reopened,
    "meeting.completed": apply_meeting_completed,
    "meeting.retracted": apply_meeting_retracted,
    "survey.submitted": apply_survey_submitted,
    "survey.retracted": apply_survey_retracted,
    "course.completed": apply_course_completed,
    "kudos.given": apply_kudos_given,
}


# Applying a file -----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    number: int
    at: datetime
    body: dict[str, Any]


def read_lines(lines: Iterable[str], ledger: Ledger) -> list[Line]:
    """Return the lines that hold a timed JSON object; record the others."""
    timed: list[Line] = []
    for number, text in enumerate(lines, start=1):
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        try:
            body = json.loads(text)
            if not isinstance(body, dict):
                raise Rejected("malformed")
            timed.append(Line(number, parse_instant(body.get("occurred_at")), body))
        except ValueError:
            ledger.outcomes[number] = "rejected:malformed"
        except Rejected as rejection:
            ledger.outcomes[number] = f"rejected:{rejection.reason}"
    return timed


def apply_line(ledger: Ledger, line: Line) -> str:
    """Apply one event; return its outcome."""
    body = line.body
    event_id = check_id(body.get("id"))
    content = json.dumps(body, sort_keys=True, ensure_ascii=False)
    if event_id in ledger.applied:
        return "duplicate" if ledger.applied[event_id] == content else "conflict"

    check_choice(body.get("type"), HANDLERS, "unknown_type")
    check_fields(body)
    HANDLERS[body["type"]](ledger, event_id, line.at, body)
    ledger.applied[event_id] = content
    return "applied"


def record(lines: Iterable[str]) -> Ledger:
    """Apply a whole file in occurred_at order; ties keep file order."""
    ledger = Ledger()
    timed = read_lines(lines, ledger)
    for line in sorted(timed, key=lambda line: line.at):
        try:
            ledger.outcomes[line.number] = apply_line(ledger, line)
        except Rejected as rejection:
            ledger.outcomes[line.number] = f"rejected:{rejection.reason}"
    return ledger


# Deriving achievements -----------------------------------------------------


@dataclass(frozen=True)
class Award:
    at: datetime
    badge: str
    level: int
    loop: str
    recipient: str


@dataclass(frozen=True)
class Meeting:
    id: str
    at: datetime
    attendees: frozenset[str]


def level_awards(
    badge: str,
    loop_id: str,
    recipient: str,
    times: list[datetime],
    thresholds: tuple[int, ...],
) -> Iterator[Award]:
    """Award each level whose threshold the ordered activity times reach."""
    for level, threshold in enumerate(thresholds, start=1):
        if len(times) >= threshold:
            yield Award(times[threshold - 1], badge, level, loop_id, recipient)


def current_meetings(loop: Loop) -> list[Meeting]:
    """Return the meetings whose latest report is a completion, in order."""
    meetings = []
    for meeting_id, reports in loop.meetings.items():
        latest = latest_report(reports)
        if latest is None or latest.retracted:
            continue
        attendees = latest.attendees or tuple(members_at(loop, latest.at))
        meetings.append(Meeting(meeting_id, latest.at, frozenset(attendees)))
    return sorted(meetings, key=lambda meeting: (meeting.at, meeting.id))


def final_run_start(
    versions: list[Report], counts: Callable[[Report], bool]
) -> datetime | None:
    """Return when the final unbroken run of counting versions began."""
    start = None
    for version in sorted(versions, key=Report.rank, reverse=True):
        if version.retracted or not counts(version):
            break
        start = version.at
    return start


def scores_five(version: Report) -> bool:
    return version.score == 5


def submitted(version: Report) -> bool:
    return True


def ever_members(loop: Loop) -> list[str]:
    """Return every participant who has ever been a member of the loop."""
    people: set[str] = set()
    for change in loop.memberships:
        people.update(change.value)
    return sorted(people)


def loop_awards(
    loop_id: str, loop: Loop, responses: list[tuple[str, Response]]
) -> Iterator[Award]:
    """Derive Momentum, Excellence and Growing Together for one loop."""
    meetings = current_meetings(loop)

    fives: list[tuple[datetime, str, str]] = []
    first_surveys: dict[str, datetime] = {}
    for response_id, response in responses:
        if response.survey == "mqs":
            since = final_run_start(response.versions, scores_five)
            if since is not None:
                fives.append((since, response_id, response.respondent))
        else:
            since = final_run_start(response.versions, submitted)
            if since is not None:
                earlier = first_surveys.get(response.respondent, since)
                first_surveys[response.respondent] = min(since, earlier)
    fives.sort()

    for person in ever_members(loop):
        attended = [meeting.at for meeting in meetings if person in meeting.attendees]
        yield from level_awards(
            "momentum", loop_id, person, attended, MOMENTUM_THRESHOLDS
        )

        rated = [
            since
            for since, _, respondent in fives
            if respondent != person and person in members_at(loop, since)
        ]
        yield from level_awards(
            "excellence", loop_id, person, rated, EXCELLENCE_THRESHOLDS
        )

        if attended and person in first_surveys:
            at = max(attended[0], first_surveys[person])
            yield Award(at, "growing_together", 0, loop_id, person)


def all_awards(ledger: Ledger) -> list[Award]:
    """Derive every achievement from the recorded history."""
    responses: dict[str, list[tuple[str, Response]]] = {}
    for response_id, response in ledger.responses.items():
        responses.setdefault(response.loop, []).append((response_id, response))
    awards = [
        award
        for loop_id, loop in ledger.loops.items()
        for award in loop_awards(loop_id, loop, responses.get(loop_id, []))
    ]

    certified = {person: min(passes) for person, passes in ledger.course_passes.items()}
    awards.extend(
        Award(at, "certified", 0, "", person) for person, at in certified.items()
    )

    held = {
        (award.badge, award.level, award.loop, award.recipient): award.at
        for award in awards
    }
    for award in list(awards):
        if award.badge != "growing_together" or award.recipient not in certified:
            continue
        momentum = held.get(("momentum", GOLD, award.loop, award.recipient))
        excellence = held.get(("excellence", GOLD, award.loop, award.recipient))
        if momentum is None or excellence is None:
            continue
        at = max(momentum, excellence, award.at, certified[award.recipient])
        awards.append(Award(at, "champion", 0, award.loop, award.recipient))
    return awards


# Writing the CSV -----------------------------------------------------------


def current_name(ledger: Ledger, participant_id: str) -> str:
    names = ledger.participants[participant_id].names
    return str(max(names, key=lambda change: (change.at, change.event_id)).value)


def guard(cell: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_rows(ledger: Ledger, zone: ZoneInfo) -> Iterator[list[str]]:
    """Yield the CSV rows in award-time order, ties broken by a stable key."""
    keyed: list[tuple[datetime, str, list[str]]] = []
    for award in all_awards(ledger):
        key = ["a", award.badge, award.level, award.loop, award.recipient]
        row = [
            "Achievement",
            ACHIEVEMENT_NAMES[award.badge],
            LEVEL_NAMES[award.level],
            award.recipient,
            current_name(ledger, award.recipient),
            "",
            "",
            award.loop,
            "",
        ]
        keyed.append((award.at, json.dumps(key, ensure_ascii=False), row))
    for kudos in ledger.kudos:
        key = ["k", kudos.event_id]
        row = [
            "Kudos",
            KUDOS_NAMES[kudos.category],
            "",
            kudos.recipient,
            current_name(ledger, kudos.recipient),
            kudos.giver,
            current_name(ledger, kudos.giver),
            kudos.loop,
            kudos.feedback,
        ]
        keyed.append((kudos.at, json.dumps(key, ensure_ascii=False), row))

    for at, _, row in sorted(keyed, key=lambda item: (item[0], item[1])):
        yield [at.astimezone(zone).isoformat(timespec="seconds"), *row]


def export(ledger: Ledger, tz: str = "UTC") -> bytes:
    """Return the all-badges CSV of a recorded history."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in csv_rows(ledger, ZoneInfo(tz)):
        writer.writerow([guard(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def expected_csv(lines: Iterable[str], tz: str = "UTC") -> bytes:
    """Return the all-badges CSV that a file of events should export."""
    return export(record(lines), tz)


# Command line --------------------------------------------------------------


def decoded_lines(path: str) -> Iterator[str]:
    """Yield the file's lines; a line that is not UTF-8 stays malformed."""
    with open(path, "rb") as stream:
        for raw in stream:
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield "<not UTF-8>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recompute the all-badges CSV.")
    parser.add_argument("file", help="JSON Lines event file")
    parser.add_argument("--tz", default="UTC", help="time zone of awarded_at")
    parser.add_argument("--output", help="CSV file to write (default: stdout)")
    parser.add_argument(
        "--summary", action="store_true", help="print line outcomes to stderr"
    )
    args = parser.parse_args(argv)

    ledger = record(decoded_lines(args.file))
    data = export(ledger, args.tz)
    if args.output:
        with open(args.output, "wb") as stream:
            stream.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()

    if args.summary:
        outcomes = Counter(ledger.outcomes.values())
        for outcome, count in sorted(outcomes.items()):
            print(f"{count:8d}  {outcome}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
