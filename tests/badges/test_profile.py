from mentorbadges.badges.profile import badge_counts, participant_profile
from mentorbadges.programs.models import Participant, Program
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene


def person(external_id: str) -> Participant:
    return Participant.objects.get(external_id=external_id)


def test_kudos_counts_cover_every_category(program: Program, history: History) -> None:
    mentoring_scene(program, history)

    profile = participant_profile(person("ana"), with_feedback=True)

    assert [(k.code, k.count) for k in profile.kudos] == [
        ("trust", 1),
        ("networking", 0),
        ("expertise", 0),
        ("commitment", 0),
        ("creativity", 0),
    ]
    assert profile.kudos_total == 1


def test_progress_says_how_many_meetings_to_the_next_level(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    loop = participant_profile(person("ben"), with_feedback=False).loops[-1]

    assert loop.loop_id == "l1"
    assert loop.momentum.level_label == "Bronze"
    assert loop.momentum.count == 6
    assert loop.momentum.sentence == "4 more meetings to Silver"
    assert loop.excellence.sentence == "3 more top ratings to Bronze"
    assert loop.growing_together_at is not None
    assert [p.external_id for p in loop.partners] == ["ana"]


def test_certified_is_program_wide(program: Program, history: History) -> None:
    mentoring_scene(program, history)

    assert participant_profile(person("ana"), with_feedback=False).certified_at
    assert participant_profile(person("ben"), with_feedback=False).certified_at is None


def test_feedback_is_only_included_when_asked(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    own = participant_profile(person("ana"), with_feedback=True)
    seen_by_others = participant_profile(person("ana"), with_feedback=False)

    assert [f.giver_name for f in own.feedback] == ["ben Brown"]
    assert seen_by_others.feedback == []


def test_a_loop_without_meetings_shows_no_progress(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    quiet = participant_profile(person("cleo"), with_feedback=True).loops[0]

    assert quiet.loop_id == "quiet"
    assert quiet.momentum.level == 0
    assert quiet.momentum.sentence == "5 more meetings to Bronze"


def test_the_last_level_has_nothing_left(program: Program, history: History) -> None:
    history.person("a")
    history.person("b")
    history.pair("l", "a", "b")
    for n in range(16):
        history.meeting("l", f"m{n}", day=2 + n)
    import_events(program, history.events)

    momentum = participant_profile(person("a"), with_feedback=False).loops[0].momentum

    assert momentum.level_label == "Gold"
    assert momentum.percent == 100
    assert momentum.sentence == "Every Momentum level reached."


def test_badge_counts_group_standing_awards_per_person(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    ana, ben = person("ana"), person("ben")

    counts = badge_counts([ana.pk, ben.pk])

    assert counts[ana.pk]["trust"] == 1
    assert counts[ana.pk]["certified"] == 1
    assert counts[ben.pk]["momentum"] == 1
