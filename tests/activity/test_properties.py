"""Order, splitting and repetition never change what a history earns."""

import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbadges.activity.services import import_lines, recompute
from mentorbadges.programs.models import Program
from tests.conftest import as_lines, export_text, post_events, standing
from tests.history import Event, History, at

PEOPLE = ("ana", "ben", "cy", "dee")
CATEGORIES = ("trust", "networking", "expertise", "commitment", "creativity")


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    """A small program: four people, two loops, then a year of random activity."""
    history = History()
    for person in PEOPLE:
        history.person(person)
    history.pair("pair", "ana", "ben", day=0.5)
    history.group("group", "ana", "cy", "dee", day=0.6)

    steps = draw(st.lists(st.integers(0, 9), min_size=5, max_size=60))
    meetings = 0
    day = 1.0
    for step in steps:
        day += draw(st.sampled_from([0.25, 1, 3, 7]))
        loop = draw(st.sampled_from(["pair", "group"]))
        members = ["ana", "ben"] if loop == "pair" else ["ana", "cy", "dee"]
        who = draw(st.sampled_from(members))
        if step <= 3:
            meetings += 1
            attendees = draw(st.none() | st.just(members[:2]))
            history.meeting(loop, f"m-{meetings}", day, attendees)
        elif step <= 5:
            score = draw(st.integers(3, 5))
            kind = draw(st.sampled_from(["mqs", "post_meeting"]))
            response = draw(st.sampled_from([None, f"{who}-{loop}-{kind}-1"]))
            history.survey(loop, who, score, day, kind, response)
        elif step == 6:
            passed = draw(st.booleans())
            history.course(who, passed, day)
        elif step == 7 and meetings:
            retracted = f"m-{draw(st.integers(1, meetings))}"
            history.add("meeting.retracted", at(day), loop=loop, meeting=retracted)
        else:
            recipient = draw(st.sampled_from(members))
            category = draw(st.sampled_from(CATEGORIES))
            history.kudos(loop, who, recipient, day, category, f"Thanks {step}")
    return history.events


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def fresh(slug: str) -> Program:
    """Make a new program; hypothesis runs many examples in one transaction."""
    slug = f"{slug}-{Program.objects.count()}"
    return Program.objects.create(slug=slug, name=slug, time_zone="Europe/Paris")


def export_of(
    events: list[Event], slug: str, files: list[list[Event]] | None = None
) -> str:
    program = fresh(slug)
    for chunk in files or [events]:
        import_lines(program, as_lines(chunk))
    return export_text(program)


@SETTINGS
@given(events=histories(), seed=st.integers(0, 2**32))
def test_the_lines_of_a_file_in_any_order_give_the_same_export(
    db: None, events: list[Event], seed: int
) -> None:
    shuffled = list(events)
    random.Random(seed).shuffle(shuffled)

    assert export_of(shuffled, "shuffled") == export_of(events, "ordered")


@SETTINGS
@given(
    events=histories(),
    cuts=st.lists(st.integers(1, 200), max_size=4),
    seed=st.integers(),
)
def test_a_history_split_into_files_gives_the_same_export(
    db: None, events: list[Event], cuts: list[int], seed: int
) -> None:
    bounds = sorted({0, len(events), *(c % len(events) for c in cuts)})
    files = [events[a:b] for a, b in itertools.pairwise(bounds)]
    for chunk in files:
        random.Random(seed).shuffle(chunk)

    assert export_of(events, "split", files) == export_of(events, "whole")


@SETTINGS
@given(events=histories())
def test_importing_twice_or_recomputing_changes_nothing(
    db: None, events: list[Event]
) -> None:
    program = fresh("twice")
    import_lines(program, as_lines(events))
    first = export_text(program)

    again = import_lines(program, as_lines(events))
    assert again.applied == 0
    assert export_text(program) == first
    assert recompute(program) == 0
    assert export_text(program) == first


@st.composite
def achievement_activity(draw: st.DrawFn) -> tuple[list[Event], list[Event]]:
    """Set-up events, then activity whose arrival order must not matter."""
    setup = History("setup")
    for person in PEOPLE:
        setup.person(person)
    setup.group("group", *PEOPLE, day=0.5)
    activity = History("act")
    for n in range(draw(st.integers(0, 17))):
        activity.meeting("group", f"m-{n}", day=1 + n, attendees=None)
    for n in range(draw(st.integers(0, 10))):
        who = draw(st.sampled_from(PEOPLE))
        activity.survey("group", who, 5, day=2 + n, response=f"{who}-r{n % 3}")
    for n in range(draw(st.integers(0, 4))):
        who = draw(st.sampled_from(PEOPLE))
        activity.survey("group", who, 2, day=3 + n, kind="post_meeting")
    for who in draw(st.lists(st.sampled_from(PEOPLE), max_size=4)):
        activity.course(who, True, day=draw(st.integers(1, 40)))
    return setup.events, activity.events


@SETTINGS
@given(data=achievement_activity(), seed=st.integers(), batch=st.integers(1, 7))
def test_achievements_do_not_depend_on_arrival_order_over_the_api(
    db: None, data: tuple[list[Event], list[Event]], seed: int, batch: int
) -> None:
    setup, activity = data
    in_order = fresh("in-order")
    post_events(in_order, setup + activity)

    out_of_order = fresh("out-of-order")
    post_events(out_of_order, setup)
    shuffled = list(activity)
    random.Random(seed).shuffle(shuffled)
    for start in range(0, len(shuffled), batch):
        post_events(out_of_order, shuffled[start : start + batch])

    assert standing(out_of_order) == standing(in_order)


def test_a_file_applies_ties_in_file_order(program: Program, history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l", "ana", "ben")
    meeting = history.meeting("l", "m-1", day=2)
    kudos = history.kudos("l", "ben", "ana", day=2)

    report = import_lines(program, as_lines([*history.events[:3], kudos, meeting]))
    assert [(r.event_id, r.reason) for r in report.rejections] == [
        (kudos["id"], "no_meeting_yet")
    ]

    other = fresh("other")
    report = import_lines(other, as_lines(history.events))
    assert report.rejections == []
