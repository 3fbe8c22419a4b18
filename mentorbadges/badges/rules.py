"""Which badges a recorded history earns.

Plain functions over plain data, with no database inside: the live path, the
bulk import and recompute all call them, so the same history always gives the
same awards, whatever order it arrived in.
"""

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from mentorbadges.badges.catalogue import (
    CHAMPION,
    EXCELLENCE,
    GROWING_TOGETHER,
    MOMENTUM,
    Badge,
    Level,
)

PARTICIPANT_COURSE = "participant"

# (participant, badge code, level) -> award time, for one loop.
LoopAwards = dict[tuple[str, str, int], datetime]


@dataclass(frozen=True, slots=True)
class MemberList:
    at: datetime
    event_id: str
    members: Mapping[str, str]

    @property
    def order(self) -> tuple[datetime, str]:
        return (self.at, self.event_id)


@dataclass(frozen=True, slots=True)
class Switch:
    """A change of an on/off state: a loop opened or closed, a person (de)activated."""

    at: datetime
    event_id: str
    on: bool

    @property
    def order(self) -> tuple[datetime, str]:
        return (self.at, self.event_id)


@dataclass(frozen=True, slots=True)
class MeetingReport:
    """One report about a meeting: completed (with its time) or retracted."""

    meeting: str
    at: datetime
    event_id: str
    attendees: frozenset[str] | None = None
    retracted: bool = False

    @property
    def order(self) -> tuple[datetime, bool, str]:
        return (self.at, self.retracted, self.event_id)


@dataclass(frozen=True, slots=True)
class SurveyReport:
    """One version of a survey response; a retraction has no score."""

    response: str
    at: datetime
    event_id: str
    survey: str
    respondent: str
    score: int | None

    @property
    def order(self) -> tuple[datetime, bool, str]:
        return (self.at, self.score is None, self.event_id)


Timed = TypeVar("Timed", MemberList, Switch)


@dataclass(frozen=True, slots=True)
class Meeting:
    meeting: str
    at: datetime
    # Those who attended: the ones listed, else every member at its time.
    present: Collection[str]


@dataclass(frozen=True, slots=True)
class Response:
    response: str
    survey: str
    respondent: str
    score: int
    since: datetime
    five_since: datetime | None


def _latest_at(items: list[Timed], at: datetime) -> Timed | None:
    """Return the last item (kept sorted by time) that happened at or before ``at``."""
    if items and items[-1].at <= at:
        # Events mostly arrive in time order: the latest item is the answer.
        return items[-1]
    index = bisect_right(items, at, key=lambda item: item.at)
    return items[index - 1] if index else None


def _insort(items: list[Timed], item: Timed) -> None:
    items.append(item)
    if len(items) > 1 and items[-2].order > item.order:
        items.sort(key=lambda entry: entry.order)


@dataclass
class LoopHistory:
    """Everything recorded about one loop, indexed by time."""

    loop: str
    kind: str
    started_at: datetime
    member_lists: list[MemberList] = field(default_factory=list)
    switches: list[Switch] = field(default_factory=list)
    meetings: list[MeetingReport] = field(default_factory=list)
    # Every version of each survey response, and what each stands at now.
    surveys: dict[str, list[SurveyReport]] = field(default_factory=dict)
    _standing: dict[str, Response | None] = field(default_factory=dict, repr=False)
    _meetings: list[Meeting] | None = field(default=None, repr=False)
    _reported: set[str] = field(default_factory=set, repr=False)
    _responses: list[Response] | None = field(default=None, repr=False)
    _fives: list[Response] | None = field(default=None, repr=False)
    _rated: list[tuple[datetime, str, Mapping[str, str]]] | None = field(
        default=None, repr=False
    )

    def add_member_list(self, item: MemberList) -> None:
        _insort(self.member_lists, item)
        # Who was present at a meeting, or rated by a top score, may change.
        self._meetings = None
        self._rated = None

    def add_switch(self, item: Switch) -> None:
        _insort(self.switches, item)

    def add_meeting(self, report: MeetingReport) -> None:
        standing = self._meetings
        first_report = report.meeting not in self._reported
        self.meetings.append(report)
        self._reported.add(report.meeting)
        if (
            standing is not None
            and first_report
            and not report.retracted
            and (
                not standing
                or (standing[-1].at, standing[-1].meeting)
                <= (report.at, report.meeting)
            )
        ):
            # A new meeting after the others, as history mostly arrives,
            # extends the list instead of having it built again.
            standing.append(self._meeting(report))
        else:
            self._meetings = None

    def add_survey(self, report: SurveyReport) -> None:
        # A new version changes what its own response stands at, nothing else.
        versions = self.surveys.setdefault(report.response, [])
        versions.append(report)
        self._standing[report.response] = _current(versions)
        self._responses = None
        self._fives = None
        self._rated = None

    def members_at(self, at: datetime) -> Mapping[str, str]:
        latest = _latest_at(self.member_lists, at)
        return latest.members if latest else {}

    def is_open_at(self, at: datetime) -> bool:
        latest = _latest_at(self.switches, at)
        return latest.on if latest else at >= self.started_at

    def ever_members(self) -> set[str]:
        return {person for item in self.member_lists for person in item.members}

    def completed_meetings(self) -> list[Meeting]:
        """Return the meetings that stand, each once, in order of meeting time."""
        if self._meetings is None:
            latest: dict[str, MeetingReport] = {}
            for report in self.meetings:
                known = latest.get(report.meeting)
                if known is None or report.order > known.order:
                    latest[report.meeting] = report
            standing = [
                self._meeting(report)
                for report in latest.values()
                if not report.retracted
            ]
            standing.sort(key=lambda meeting: (meeting.at, meeting.meeting))
            self._meetings = standing
        return self._meetings

    def _meeting(self, report: MeetingReport) -> Meeting:
        present: Collection[str] | None = report.attendees
        if present is None:
            present = self.members_at(report.at)
        return Meeting(report.meeting, report.at, present)

    def responses(self) -> list[Response]:
        """Return the current version of each response that was not retracted."""
        if self._responses is None:
            self._responses = [r for r in self._standing.values() if r is not None]
        return self._responses

    def top_ratings(self) -> list[Response]:
        """Return the MQS responses that stand at 5, in the order they became 5."""
        if self._fives is None:
            self._fives = sorted(
                (
                    r
                    for r in self.responses()
                    if r.survey == "mqs" and r.five_since is not None
                ),
                key=lambda r: (r.five_since, r.response),
            )
        return self._fives

    def top_ratings_by_members(self) -> list[tuple[datetime, str, Mapping[str, str]]]:
        """Return each top rating's time, its respondent and the members then."""
        if self._rated is None:
            self._rated = [
                (r.five_since, r.respondent, self.members_at(r.five_since))
                for r in self.top_ratings()
                if r.five_since is not None
            ]
        return self._rated

    def has_meeting_by(self, at: datetime) -> bool:
        meetings = self.completed_meetings()
        return bool(meetings) and meetings[0].at <= at


def _current(reports: list[SurveyReport]) -> Response | None:
    reports.sort(key=lambda report: report.order)
    last = reports[-1]
    if last.score is None:
        return None

    # The response exists from the first version after its last retraction,
    # and counts as a 5 from the first version of its final run of 5s.
    trailing: list[SurveyReport] = []
    for report in reversed(reports):
        if report.score is None:
            break
        trailing.append(report)
    trailing.reverse()

    five_since = None
    if last.score == 5:
        start = len(trailing) - 1
        while start > 0 and trailing[start - 1].score == 5:
            start -= 1
        five_since = trailing[start].at
    return Response(
        last.response,
        last.survey,
        last.respondent,
        last.score,
        trailing[0].at,
        five_since,
    )


def _levels(badge: Badge, times: list[datetime]) -> Iterable[tuple[int, datetime]]:
    levels = (Level.BRONZE, Level.SILVER, Level.GOLD)
    for level, threshold in zip(levels, badge.thresholds, strict=True):
        if len(times) >= threshold:
            yield level, times[threshold - 1]


@dataclass(frozen=True, slots=True)
class Track:
    """When one participant reached each kind of milestone in a loop, in order."""

    attended: list[datetime]
    rated: list[datetime]
    surveyed: list[datetime]


def track(history: LoopHistory, person: str) -> Track:
    """Return the meetings attended, top ratings from others and own surveys."""
    return Track(
        attended=[m.at for m in history.completed_meetings() if person in m.present],
        rated=[
            at
            for at, respondent, members in history.top_ratings_by_members()
            if respondent != person and person in members
        ],
        surveyed=sorted(
            r.since
            for r in history.responses()
            if r.survey == "post_meeting" and r.respondent == person
        ),
    )


def derive_loop_awards(
    history: LoopHistory, certified: Mapping[str, datetime]
) -> LoopAwards:
    """Return every achievement level the loop's history earns, with its time."""
    awards: LoopAwards = {}
    for person in history.ever_members():
        done = track(history, person)
        for level, at in _levels(MOMENTUM, done.attended):
            awards[(person, MOMENTUM.code, level)] = at
        for level, at in _levels(EXCELLENCE, done.rated):
            awards[(person, EXCELLENCE.code, level)] = at
        if done.attended and done.surveyed:
            awards[(person, GROWING_TOGETHER.code, 0)] = max(
                done.attended[0], done.surveyed[0]
            )

        milestones = [
            awards.get((person, MOMENTUM.code, Level.GOLD)),
            awards.get((person, EXCELLENCE.code, Level.GOLD)),
            awards.get((person, GROWING_TOGETHER.code, 0)),
            certified.get(person),
        ]
        if all(milestones):
            awards[(person, CHAMPION.code, 0)] = max(m for m in milestones if m)
    return awards


@dataclass(frozen=True, slots=True)
class CourseResult:
    at: datetime
    course: str
    passed: bool


def certified_at(results: Iterable[CourseResult]) -> datetime | None:
    """Return the time of the first pass of the participant course, if any."""
    passes = [r.at for r in results if r.passed and r.course == PARTICIPANT_COURSE]
    return min(passes) if passes else None


def is_active_at(switches: list[Switch], at: datetime) -> bool:
    """Tell whether a participant was active in the program at an instant."""
    latest = _latest_at(switches, at)
    return latest is not None and latest.on


def kudos_refusal(
    history: LoopHistory,
    giver: str,
    recipient: str,
    at: datetime,
    is_active: Callable[[str, datetime], bool],
) -> str | None:
    """Return why a kudos may not be given at ``at``, or None when it may."""
    if giver == recipient:
        return "self_kudos"

    members = history.members_at(at)
    if giver not in members or recipient not in members:
        return "not_a_member"
    if not (is_active(giver, at) and is_active(recipient, at)):
        return "participant_inactive"
    if not history.is_open_at(at):
        return "loop_closed"
    if not history.has_meeting_by(at):
        return "no_meeting_yet"
    return None


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a participant is along each levelled achievement of a loop."""

    meetings: int
    top_ratings: int
    attended: bool
    surveyed: bool


def loop_progress(history: LoopHistory, person: str) -> Progress:
    done = track(history, person)
    return Progress(
        len(done.attended), len(done.rated), bool(done.attended), bool(done.surveyed)
    )
