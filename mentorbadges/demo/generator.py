"""Generate a realistic, deterministic history of mentoring activity events.

The events follow the published JSON Lines event format and are valid under
the badge rules: every kudos is given after a meeting, between current
members of an open loop, both active. A chosen fraction of faulty events
(rejected ones, duplicates and conflicting ids) can be mixed in.

It feeds the demo program, the benchmarks and the tests.

Usage: python bench/generate.py --participants N [--months 12] [--seed 1]
       [--start 2025-01-06] [--invalid-rate 0] [--output FILE]
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import functools
import itertools
import json
import random
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

Event = dict[str, Any]
T = TypeVar("T")

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
EPOCH = datetime(1970, 1, 1)
DEFAULT_START = datetime(2025, 1, 6, tzinfo=UTC)

LOOPS_PER_PARTICIPANT = 0.5
GROUP_SHARE = 0.15
ATTENDEES_LISTED = 0.2
SURVEY_EVERY = 42 * DAY

CATEGORIES = ("trust", "networking", "expertise", "commitment", "creativity")
CATEGORY_WEIGHTS = tuple(itertools.accumulate((25, 15, 25, 20, 15)))
LOW_SCORES = (3, 2, 1)
LOW_SCORE_WEIGHTS = tuple(itertools.accumulate((60, 25, 15)))
OTHER_COURSES = ("goal-setting", "active-listening", "giving-feedback")

FIRST_NAMES = (
    "Ana",
    "Ben",
    "José",
    "Zoë",
    "María",
    "François",
    "Søren",
    "Björn",
    "Chloé",
    "Élodie",
    "Jürgen",
    "Łukasz",
    "Małgorzata",
    "Siobhán",
    "Seán",
    "Aoife",
    "Ingrid",
    "Håkon",
    "Renée",
    "Noémie",
    "İlkay",
    "Şebnem",
    "João",
    "Inês",
    "Priya",
    "Arjun",
    "Aisha",
    "Omar",
    "Fatima",
    "Chen",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Seo-yeon",
    "Kwame",
    "Amara",
    "Chidi",
    "Ngozi",
    "Lucas",
    "Sofia",
    "Mateo",
    "Valentina",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Oliver",
    "Charlotte",
    "Jack",
    "Grace",
    "Thomas",
    "Hannah",
    "Daniel",
    "Laura",
    "David",
    "Sarah",
    "Michael",
    "Anna",
    "James",
    "Emily",
    "Tomás",
    "Ánh",
    "Dũng",
    "Raphaël",
    "Mónica",
    "Tiago",
    "Agnieszka",
    "Eilidh",
    "Rhys",
)
LAST_NAMES = (
    "Núñez",
    "Ångström",
    "García",
    "Martínez",
    "Rodríguez",
    "Fernández",
    "Gonçalves",
    "Müller",
    "Schröder",
    "Jensen",
    "Øberg",
    "Lindqvist",
    "Nowak",
    "Wiśniewski",
    "O'Brien",
    "Ní Bhriain",
    "McCarthy",
    "Dubois",
    "Lefèvre",
    "Çelik",
    "Yılmaz",  # noqa: RUF001
    "Patel",
    "Sharma",
    "Singh",
    "Khan",
    "Haddad",
    "Al-Sayed",
    "Zhang",
    "Wang",
    "Li",
    "Tanaka",
    "Sato",
    "Kim",
    "Park",
    "Nguyễn",
    "Trần",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "van der Berg",
    "de Vries",
    "Rossi",
    "Bianchi",
    "Kowalski",
    "Novák",
    "Dvořák",
    "Horváth",
    "Papadopoulos",
    "Ivanova",
    "Cohen",
    "Levi",
    "Murphy",
    "Kelly",
    "Santos",
    "Pereira",
    "Costa",
    "Andersson",
    "Nielsen",
    "Hughes",
)
GIVEN_NAMES = ("José Núñez", "Zoë Ångström")
WHOLE_NAMES = (
    "山田 花子",
    "김민준",
    "Άννα Παπαδοπούλου",
    "Олена Коваленко",
    "Nguyễn Thị Mai",
    "Samuel Okafor, Jr.",
    "Þórdís Ólafsdóttir",
    "Zoë D'Souza-Ångström",
    "Marie-Thérèse Lévesque",
    'Ahmed "Tony" Haddad',
)
EMAIL_DOMAINS = ("example.org", "example.com", "mail.example.net", "corp.example")

FEEDBACK = (
    "You made it easy to ask anything",
    "Thanks for making time, {first}",
    "Your advice on the promotion case was spot on.",
    "Clear, kind, and practical. Thank you!",
    "Honest, thoughtful, and generous with your time, as always",
    "Always on time, always prepared.",
    "Kept every promise, even when things got busy.",
    "I felt heard. Thank you.",
    "Asked the questions that made me rethink the whole plan.",
    "Helped me rehearse the presentation three times, with notes.",
    "Very patient while I worked through the numbers, step by step.",
    "Followed up with the article, the book list, and a warm intro.",
    "Shared the résumé template and the interview checklist.",
    "Connected me with Zoë from the platform team.",
    'Introduced me to the analytics guild, the "secret" Slack channel, and two '
    "mentors who have been great.",
    'Your line "start with the customer" changed how I plan my week.',
    "The mind-map exercise was a brilliant idea 💡",
    "Great session 🙏",
    "Ideas, ideas, ideas!",
    "Your framework for 1:1s is now our team's default",
    "Thank you!\nSee you next month.",
    "Three things I took away:\n1. Ask early\n2. Write it down\n3. Follow up",
    "Line one\r\nLine two (sent from the desktop app)",
    "Notes\tattached\tin the shared folder",
    "Merci {first}, c'était très utile !",
    "«Merci» pour l’atelier — très inspirant",  # noqa: RUF001
    "Gracias por tu paciencia y por compartir tantos recursos.",
    "Danke für die ehrliche Rückmeldung, {first}.",
    "Obrigado pela conversa, ajudou muito.",
    "Спасибо за поддержку!",
    "ありがとうございました！",  # noqa: RUF001
    "=) thanks for the laugh and the honest feedback",
    "=SUM(all the good advice)",
    "- listened carefully\n- gave clear next steps\n- followed up the same day",
    "-> introduced me to three people in the data team",
    "+1 on everything you said about delegation",
    "@{first} thanks for the intro to the design guild!",
    "  Great questions today, thank you  ",
    "Brought a completely new angle to my career plan.",
    "Suggested a side project that finally got me unstuck.",
    "Made a difficult conversation feel safe.",
    "Showed up prepared even in a very busy month.",
    "Knows everyone, and introduces people generously.",
    "Explained the architecture so that it finally clicked.",
    "Reviewed my CV line by line. Above and beyond.",
    "Your notes after each session are gold",
    "Thank you {first} for the honest, caring feedback.",
)
LONG_FEEDBACK = (
    "Looking back on this year of mentoring, I want to say thank you properly. "
    "Every session had a clear purpose, and you always left me with one concrete "
    "thing to try before we met again. "
)


@dataclass(frozen=True)
class Clock:
    """How one source of events writes its timestamps."""

    offset: int
    millis: bool
    zulu: bool

    def stamp(self, second: int, milli: int) -> str:
        """Return the ISO 8601 text of an instant given in epoch seconds."""
        day, in_day = divmod(second + self.offset * MINUTE, DAY)
        hour, in_hour = divmod(in_day, HOUR)
        text = f"{calendar_day(day)}T{hour:02d}:{in_hour // 60:02d}:{in_hour % 60:02d}"
        if self.millis:
            text += f".{milli:03d}"
        if self.zulu:
            return text + "Z"
        sign = "-" if self.offset < 0 else "+"
        hours, minutes = divmod(abs(self.offset), 60)
        return f"{text}{sign}{hours:02d}:{minutes:02d}"


# How sources write timestamps, with how often each appears (cumulated).
CLOCKS = (
    Clock(0, millis=False, zulu=True),
    Clock(0, millis=True, zulu=True),
    Clock(0, millis=False, zulu=False),
    Clock(60, millis=False, zulu=False),
    Clock(120, millis=False, zulu=False),
    Clock(-300, millis=False, zulu=False),
    Clock(-480, millis=False, zulu=False),
    Clock(330, millis=False, zulu=False),
    Clock(540, millis=False, zulu=False),
    Clock(600, millis=True, zulu=False),
    Clock(-180, millis=False, zulu=False),
)
CLOCK_WEIGHTS = tuple(itertools.accumulate((50, 8, 4, 8, 5, 6, 4, 4, 3, 4, 4)))


ID_FORMATS = {6: "06x", 8: "08x"}


@functools.cache
def calendar_day(day: int) -> str:
    return (EPOCH + timedelta(days=day)).date().isoformat()


@dataclass
class Person:
    id: str
    name: str
    email: str | None
    clock: Clock
    joined: int = 0
    last_seen: int = 0
    memberships: int = 0
    released: int = 0


@dataclass
class Loop:
    id: str
    kind: str
    members: dict[str, str]
    start: int
    clock: Clock
    engagement: float
    next_survey: int = 0


def scrambled_id(prefix: str, index: int, width: int) -> str:
    """Return a unique, random-looking id: an odd multiple modulo 16**width."""
    salted = index + zlib.crc32(prefix.encode())
    number = (salted * 0x9E3779B1 + 0x5BD1E995) & ((1 << 4 * width) - 1)
    return prefix + format(number, ID_FORMATS[width])


def ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(
        "".join(ch for ch in word if ch.isalnum()) for word in folded.split()
    )


class Program:
    """The state of one generated program while its history is written."""

    def __init__(
        self, participants: int, months: int, seed: int, start: datetime
    ) -> None:
        self.rng = random.Random(seed)
        self.start = int(start.timestamp())
        self.horizon = int(add_months(start, months).timestamp())
        self.events: list[tuple[int, int, Event]] = []
        self.people: list[Person] = []
        self.by_id: dict[str, Person] = {}
        self.loops: list[Loop] = []
        self.pool: list[Person] = []
        self.counters: dict[str, int] = {}
        self.participants = participants

    # Writing events ---------------------------------------------------------

    def new_id(self, prefix: str, width: int = 6) -> str:
        index = self.counters.get(prefix, 0)
        self.counters[prefix] = index + 1
        return scrambled_id(prefix, index, width)

    def emit(
        self,
        at: int,
        clock: Clock,
        kind: str,
        fields: Event,
        people: Iterable[str] = (),
    ) -> Event | None:
        """Record an event, unless it falls after the end of the history."""
        if at >= self.horizon:
            return None
        sequence = len(self.events)
        milli = sequence * 389 % 1000 if clock.millis else 0
        event = {
            "id": self.new_id("evt_", 8),
            "type": kind,
            "occurred_at": clock.stamp(at, milli),
            **fields,
        }
        self.events.append((at * 1000 + milli, sequence, event))
        for person_id in people:
            person = self.by_id[person_id]
            person.last_seen = max(person.last_seen, at)
        return event

    def between(self, low: int, high: int) -> int:
        """Return a uniform integer from low to high, both included."""
        return low + int(self.rng.random() * (high - low + 1))

    def weighted(self, items: tuple[T, ...], cumulative: tuple[int, ...]) -> T:
        """Return one of the items, drawn by cumulative weights."""
        return items[bisect.bisect(cumulative, self.rng.random() * cumulative[-1])]

    def clock(self) -> Clock:
        return self.weighted(CLOCKS, CLOCK_WEIGHTS)

    def business_time(self, at: int, clock: Clock) -> int:
        """Return a working-hours instant on the weekday at or after `at`."""
        day = (at + clock.offset * MINUTE) // DAY
        weekday = (day + 3) % 7  # the epoch fell on a Thursday
        if weekday >= 5:
            day += 7 - weekday
        minute = self.between(8 * 60, 18 * 60) - clock.offset
        return day * DAY + minute * MINUTE + self.between(0, 59)

    # People -----------------------------------------------------------------

    def plan_people(self) -> None:
        rng = self.rng
        for index in range(self.participants):
            if index < len(GIVEN_NAMES):
                name = GIVEN_NAMES[index]
            elif rng.random() < 0.03:
                name = rng.choice(WHOLE_NAMES)
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            person = Person(
                id=scrambled_id("u_", index, 6),
                name=name,
                email=self.email(name, index),
                clock=self.clock(),
            )
            self.people.append(person)
            self.by_id[person.id] = person

    def email(self, name: str, index: int) -> str | None:
        if self.rng.random() < 0.12:
            return None
        local = ascii_words(name).lower() or "participant"
        return f"{local}{index}@{self.rng.choice(EMAIL_DOMAINS)}"

    def upsert(self, person: Person, at: int) -> None:
        profile: Event = {"id": person.id, "name": person.name}
        if person.email is not None:
            profile["email"] = person.email
        fields = {"participant": profile}
        self.emit(at, person.clock, "participant.upserted", fields, [person.id])

    def join_everyone(self) -> None:
        """Upsert each participant some time before their first loop starts."""
        first_start: dict[str, int] = {}
        for loop in self.loops:
            for person_id in loop.members:
                first_start.setdefault(person_id, loop.start)
        for person in self.people:
            if person.id in first_start:
                latest = first_start[person.id] - HOUR
                lead = min(10 * DAY, latest - (self.start - 7 * DAY))
                person.joined = latest - self.between(0, lead)
            else:
                person.joined = self.start + self.between(-7 * DAY, 30 * DAY)
            self.upsert(person, person.joined)

    def courses(self, person: Person) -> None:
        rng = self.rng
        at = person.joined + self.between(DAY, 120 * DAY)
        if rng.random() < 0.72:
            course: Event = {"course": "participant"} if rng.random() < 0.15 else {}
            first_try = rng.random()
            if first_try < 0.2:
                self.course(person, at, False, course)
                if first_try < 0.17:
                    retry = at + self.between(DAY, 21 * DAY)
                    self.course(person, retry, True, course)
            else:
                self.course(person, at, True, course)
        if rng.random() < 0.08:
            other = {"course": rng.choice(OTHER_COURSES)}
            later = person.joined + self.between(DAY, 200 * DAY)
            self.course(person, later, rng.random() < 0.8, other)

    def course(self, person: Person, at: int, passed: bool, course: Event) -> None:
        fields = {"participant": person.id, "passed": passed, **course}
        self.emit(at, person.clock, "course.completed", fields, [person.id])

    def profile_changes(self, person: Person) -> None:
        """Rename a few people; send a few profiles again unchanged."""
        rng = self.rng
        roll = rng.random()
        if roll >= 0.05:
            return
        at = person.joined + self.between(20 * DAY, 300 * DAY)
        if roll < 0.02 and person.name not in WHOLE_NAMES:
            first = person.name.split(" ")[0]
            person.name = f"{first} {rng.choice(LAST_NAMES)}"
            if person.email is not None:
                person.email = f"{ascii_words(person.name).lower()}@example.org"
        self.upsert(person, at)

    def removals(self) -> None:
        """Remove a few people whose loops have all ended for them."""
        rng = self.rng
        free = [person for person in self.people if person.memberships == 0]
        chance = min(1.0, 0.015 * len(self.people) / max(1, len(free)))
        for person in free:
            if rng.random() >= chance:
                continue
            after = max(person.joined, person.last_seen, person.released)
            fields = {"participant": person.id}
            at = after + self.between(DAY, 30 * DAY)
            self.emit(at, person.clock, "participant.removed", fields, [person.id])

    # Loops ------------------------------------------------------------------

    def plan_loops(self) -> None:
        rng = self.rng
        if len(self.people) < 2:
            return
        order = list(self.people)
        rng.shuffle(order)
        mentors = order[: max(1, round(len(order) * 0.35))]
        others = order[len(mentors) :]
        self.pool = others[: round(len(others) * 0.12)]
        mentees = others[len(self.pool) :] or others

        span = min(self.horizon - self.start, 180 * DAY)
        count = max(1, round(len(order) * LOOPS_PER_PARTICIPANT))
        for index in range(count):
            if len(order) >= 3 and rng.random() < GROUP_SHARE:
                members = self.group_members(mentors, order)
                kind = "group"
            else:
                mentee = mentees[index % len(mentees)]
                mentor = rng.choice(mentors)
                members = {mentor.id: "mentor", mentee.id: "mentee"}
                kind = "one_to_one"
            clock = self.clock()
            start = self.start + int(span * rng.random() ** 1.7)
            loop = Loop(
                id=self.new_id("loop_"),
                kind=kind,
                members=members,
                start=self.business_time(start, clock),
                clock=clock,
                engagement=rng.random(),
            )
            self.loops.append(loop)
        self.loops.sort(key=lambda loop: loop.start)

    def group_members(
        self, mentors: list[Person], order: list[Person]
    ) -> dict[str, str]:
        rng = self.rng
        size = min(self.between(3, 6), len(order))
        lead = rng.choice(mentors)
        members = {lead.id: "mentor"}
        while len(members) < size:
            person = rng.choice(order)
            if person.id not in members:
                roles = ("mentor", "mentee", "member", "member")
                members[person.id] = rng.choice(
                    roles if len(members) > 1 else roles[1:]
                )
        return members

    def member_list(self, loop: Loop) -> list[Event]:
        return [
            {"participant": who, "role": role} for who, role in loop.members.items()
        ]

    def engage(self, loop: Loop, people: Iterable[str], at: int, joining: bool) -> None:
        for person_id in people:
            person = self.by_id[person_id]
            if joining:
                person.memberships += 1
            else:
                person.memberships -= 1
                person.released = max(person.released, at)

    def run_loop(self, loop: Loop) -> None:
        """Write a loop's life: meetings, surveys, kudos, changes, closing."""
        rng = self.rng
        fields = {"loop": loop.id, "kind": loop.kind, "members": self.member_list(loop)}
        self.emit(loop.start, loop.clock, "loop.started", fields)
        self.engage(loop, loop.members, loop.start, joining=True)

        loop.next_survey = loop.start + SURVEY_EVERY
        cadence = self.between(15, 28)
        phase_start = loop.start
        meetings = 0
        while True:
            quiet_after = self.quiet_after()
            close_at = None
            if rng.random() < 0.35:
                close_at = phase_start + self.between(150, 330) * DAY
            last_activity = phase_start
            at = self.business_time(phase_start + self.between(3, 14) * DAY, loop.clock)
            held = 0
            while (
                at < min(close_at or self.horizon, self.horizon) and held < quiet_after
            ):
                self.meet(loop, at, first=meetings == 0)
                meetings += 1
                held += 1
                if loop.kind == "group" and rng.random() < 0.12:
                    self.change_members(loop, at + self.between(10 * DAY, 11 * DAY))
                last_activity = at + 13 * DAY
                gap = max(13, cadence + self.between(-2, 2))
                at = self.business_time(at + gap * DAY, loop.clock)

            if held >= quiet_after and rng.random() < 0.6:
                close_at = last_activity + self.between(45, 150) * DAY
            if close_at is None:
                return
            close_at = max(close_at, last_activity)
            if not self.emit(close_at, loop.clock, "loop.closed", {"loop": loop.id}):
                return
            self.engage(loop, loop.members, close_at, joining=False)

            if rng.random() >= 0.12:
                return
            reopen_at = close_at + self.between(14, 75) * DAY
            if not self.emit(reopen_at, loop.clock, "loop.reopened", {"loop": loop.id}):
                return
            self.engage(loop, loop.members, reopen_at, joining=True)
            phase_start = reopen_at

    def quiet_after(self) -> int:
        """Return how many meetings a loop holds before it goes quiet."""
        roll = self.rng.random()
        if roll < 0.04:
            return 0
        if roll < 0.28:
            return self.between(1, 8)
        return 1_000

    def change_members(self, loop: Loop, at: int) -> None:
        """Add someone from the waiting pool to a group, or let a member go."""
        rng = self.rng
        leaving = [who for who, role in loop.members.items() if role != "mentor"]
        if len(loop.members) < 6 and rng.random() < 0.5:
            candidate = rng.choice(self.pool) if self.pool else None
            if candidate is None or candidate.id in loop.members:
                return
            if candidate.joined >= at - HOUR:
                return
            loop.members[candidate.id] = rng.choice(("mentee", "member"))
            self.engage(loop, [candidate.id], at, joining=True)
        elif len(loop.members) > 3 and leaving:
            gone = rng.choice(leaving)
            del loop.members[gone]
            self.engage(loop, [gone], at, joining=False)
        else:
            return
        fields = {"loop": loop.id, "members": self.member_list(loop)}
        self.emit(at, loop.clock, "loop.members_changed", fields)

    def meet(self, loop: Loop, at: int, first: bool) -> None:
        """Write a meeting and what follows it: surveys, kudos, corrections."""
        rng = self.rng
        meeting_id = self.new_id("mtg_")
        members = list(loop.members)
        listed = self.attendees(loop) if rng.random() < ATTENDEES_LISTED else []
        fields: Event = {"loop": loop.id, "meeting": meeting_id}
        if listed:
            fields["attendees"] = listed
        self.emit(at, loop.clock, "meeting.completed", fields)

        # A meeting reported in error; the first one never is, so that kudos
        # given later in the loop always follow a meeting that still counts.
        if not first and rng.random() < 0.03:
            retracted = {"loop": loop.id, "meeting": meeting_id}
            later = at + self.between(HOUR, 6 * HOUR)
            self.emit(later, loop.clock, "meeting.retracted", retracted)
            return
        if rng.random() < 0.03:
            listed = listed or members
            again = {"loop": loop.id, "meeting": meeting_id, "attendees": listed}
            later = at + self.between(5 * MINUTE, 50 * MINUTE)
            self.emit(later, loop.clock, "meeting.completed", again)

        rate = 0.2 + 0.3 * loop.engagement
        for person_id in listed or members:
            if rng.random() < rate:
                answered = at + self.between(HOUR, 36 * HOUR)
                self.survey(loop, "post_meeting", person_id, answered, meeting_id)

        if loop.next_survey <= at + 12 * DAY:
            for person_id in members:
                if rng.random() < 0.75:
                    answered = at + self.between(2 * DAY, 7 * DAY)
                    self.survey(loop, "mqs", person_id, answered, None)
            while loop.next_survey <= at + 12 * DAY:
                loop.next_survey += SURVEY_EVERY + self.between(-4, 4) * DAY

    def attendees(self, loop: Loop) -> list[str]:
        members = list(loop.members)
        if loop.kind == "one_to_one":
            return members if self.rng.random() < 0.9 else members[:1]
        count = self.between(2, len(members))
        chosen = set(self.rng.sample(range(len(members)), count))
        return [who for index, who in enumerate(members) if index in chosen]

    def score(self, loop: Loop) -> int:
        fives = 0.3 + 0.5 * loop.engagement
        roll = self.rng.random()
        if roll < fives:
            return 5
        if roll < fives + 0.28:
            return 4
        return self.weighted(LOW_SCORES, LOW_SCORE_WEIGHTS)

    def survey(
        self, loop: Loop, kind: str, respondent: str, at: int, meeting: str | None
    ) -> None:
        rng = self.rng
        score = self.score(loop)
        fields: Event = {
            "loop": loop.id,
            "survey": kind,
            "respondent": respondent,
            "score": score,
        }
        if kind == "mqs" or rng.random() < 0.6:
            fields["response"] = self.new_id("rsp_")
        if meeting is not None and rng.random() < 0.9:
            fields["meeting"] = meeting
        event = self.emit(at, loop.clock, "survey.submitted", fields, [respondent])
        if event is None:
            return

        kudos_rate = 0.3 if kind == "mqs" else 0.35
        if score >= 4 and rng.random() < kudos_rate:
            self.kudos(loop, respondent, at + self.between(2 * MINUTE, 30 * MINUTE))

        response = fields.get("response", event["id"])
        correction = rng.random()
        if correction < 0.04:
            changed = rng.choice([other for other in (5, 4, 3) if other != score])
            again = {**fields, "score": changed, "response": response}
            later = at + self.between(HOUR, 20 * HOUR)
            self.emit(later, loop.clock, "survey.submitted", again, [respondent])
        elif correction < 0.05:
            later = at + self.between(HOUR, 48 * HOUR)
            self.emit(later, loop.clock, "survey.retracted", {"response": response})

    def kudos(self, loop: Loop, giver: str, at: int) -> None:
        rng = self.rng
        recipient = rng.choice([who for who in loop.members if who != giver])
        fields: Event = {
            "loop": loop.id,
            "giver": giver,
            "recipient": recipient,
            "category": self.weighted(CATEGORIES, CATEGORY_WEIGHTS),
        }
        feedback = self.feedback(self.by_id[recipient])
        if feedback is not None:
            fields["feedback"] = feedback
        self.emit(at, loop.clock, "kudos.given", fields, [giver, recipient])

    def feedback(self, recipient: Person) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return None
        if roll < 0.22:
            return rng.choice(("", "   "))
        if roll < 0.223:
            return (LONG_FEEDBACK * 6)[:990]
        first = recipient.name.split(" ")[0]
        return rng.choice(FEEDBACK).replace("{first}", first)

    # Faults -----------------------------------------------------------------

    def add_faults(self, rate: float, seed: int) -> None:
        """Mix in rejected events, duplicates and conflicting ids."""
        rng = random.Random(f"{seed}-faults")
        valid = list(self.events)
        for _ in range(round(rate * len(valid))):
            key, _, original = rng.choice(valid)
            fault, delay = self.fault(rng, original)
            self.events.append((key + delay * 1000, len(self.events), fault))

    def fault(self, rng: random.Random, original: Event) -> tuple[Event, int]:
        """Return a faulty event near an original, and its delay in seconds."""
        fresh = {**original, "id": self.new_id("evt_", 8)}
        kind = original["type"]
        choices = ["duplicate", "conflict", "unknown_field", "no_offset"]
        if kind == "kudos.given":
            choices += ["self_kudos", "unknown_category", "feedback_too_long"] * 2
        elif kind == "loop.started":
            choices += ["no_meeting_yet"] * 4
        elif kind == "survey.submitted":
            choices += ["bad_score"] * 2
        elif kind == "meeting.completed":
            choices += ["unknown_loop"] * 2

        match rng.choice(choices):
            case "duplicate":
                return dict(original), 0
            case "conflict":
                delay = rng.randint(1, 59)
                return {**original, "occurred_at": shifted(original, delay)}, delay
            case "unknown_field":
                return {**fresh, "comment": "sent twice by mistake"}, 1
            case "no_offset":
                return {**fresh, "occurred_at": original["occurred_at"][:19]}, 1
            case "self_kudos":
                return {**fresh, "recipient": original["giver"]}, 1
            case "unknown_category":
                return {**fresh, "category": "gratitude"}, 1
            case "feedback_too_long":
                return {**fresh, "feedback": "Thank you! " * 100}, 1
            case "bad_score":
                return {**fresh, "score": rng.choice((0, 6))}, 1
            case "unknown_loop":
                return {**fresh, "loop": "loop_unknown"}, 1
            case _:
                return self.early_kudos(rng, original)

    def early_kudos(self, rng: random.Random, started: Event) -> tuple[Event, int]:
        """Return a kudos given in a loop before its first meeting."""
        giver, recipient = (entry["participant"] for entry in started["members"][:2])
        delay = rng.randint(HOUR, 48 * HOUR)
        kudos = {
            "id": self.new_id("evt_", 8),
            "type": "kudos.given",
            "occurred_at": shifted(started, delay),
            "loop": started["loop"],
            "giver": giver,
            "recipient": recipient,
            "category": "trust",
            "feedback": "Looking forward to working together",
        }
        return kudos, delay

    # The whole history ------------------------------------------------------

    def write(self, invalid_rate: float, seed: int) -> list[Event]:
        self.plan_people()
        self.plan_loops()
        self.join_everyone()
        for loop in self.loops:
            self.run_loop(loop)
        for person in self.people:
            self.courses(person)
            self.profile_changes(person)
        self.removals()
        if invalid_rate > 0:
            self.add_faults(invalid_rate, seed)
        self.events.sort(key=lambda item: (item[0], item[1]))
        return [event for _, _, event in self.events]


def shifted(event: Event, seconds: int) -> str:
    """Return the event's timestamp moved later, written the same way."""
    text = event["occurred_at"]
    moved = datetime.fromisoformat(text) + timedelta(seconds=seconds)
    spec = "milliseconds" if "." in text else "seconds"
    moved_text = moved.isoformat(timespec=spec)
    return moved_text.replace("+00:00", "Z") if text.endswith("Z") else moved_text


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def generate(
    participants: int,
    months: int = 12,
    seed: int = 1,
    start: datetime | None = None,
    invalid_rate: float = 0.0,
) -> Iterator[Event]:
    """Yield a program's events in time order; same arguments, same events."""
    start = start or DEFAULT_START
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    program = Program(participants, months, seed, start)
    yield from program.write(invalid_rate, seed)


def to_json_lines(events: Iterable[Event]) -> list[bytes]:
    """Encode events as JSON Lines, one UTF-8 line each."""
    encoder = json.JSONEncoder(ensure_ascii=False)
    return [encoder.encode(event).encode("utf-8") for event in events]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate mentoring activity events.")
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--start", type=date.fromisoformat, default=DEFAULT_START.date()
    )
    parser.add_argument(
        "--invalid-rate",
        type=float,
        default=0.0,
        help="fraction of extra faulty events (rejected, duplicate, conflicting)",
    )
    parser.add_argument("--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)

    start = datetime.combine(args.start, datetime.min.time(), tzinfo=UTC)
    events = generate(
        args.participants, args.months, args.seed, start, args.invalid_rate
    )
    data = b"".join(line + b"\n" for line in to_json_lines(events))
    if args.output:
        with open(args.output, "wb") as stream:
            stream.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
