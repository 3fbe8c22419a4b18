"""A small program with people, loops, meetings and kudos, for page and report tests."""

from mentorbadges.programs.models import Program
from tests.conftest import import_events
from tests.history import History


def mentoring_scene(program: Program, history: History, loops: int = 1) -> History:
    """Load ``loops`` one-to-one loops, each with six meetings and two kudos.

    Loop ``l1`` pairs Ana (mentor) with Ben (mentee); further loops pair
    ``mentorN`` with ``menteeN``. A last loop ``quiet`` has no meeting yet.
    """
    history.person("ana", "Ana Álvarez")
    history.person("ben", "ben Brown")
    history.person("cleo", "Cleo Quiet")
    history.pair("l1", "ana", "ben")
    history.pair("quiet", "cleo", "ben", day=2)
    for n in range(2, loops + 1):
        history.person(f"mentor{n}", f"Mentor {n:04d}")
        history.person(f"mentee{n}", f"Mentee {n:04d}")
        history.pair(f"l{n}", f"mentor{n}", f"mentee{n}")

    for n in range(1, loops + 1):
        loop = f"l{n}"
        mentor, mentee = ("ana", "ben") if n == 1 else (f"mentor{n}", f"mentee{n}")
        for day in range(6):
            history.meeting(loop, f"{loop}-m{day}", day=3 + day * 7)
        history.survey(loop, mentee, 5, day=4, kind="post_meeting")
        history.kudos(
            loop,
            mentee,
            mentor,
            day=5,
            category="trust",
            feedback="Always made me feel heard, even on the hard weeks.",
        )
        history.kudos(loop, mentor, mentee, day=40, category="commitment")
    history.course("ana", True, day=10)

    rejected = import_events(program, history.events)
    assert not rejected, rejected
    return history
