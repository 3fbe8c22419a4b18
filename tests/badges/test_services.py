import pytest
from django.contrib.auth.models import User

from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.badges.services import (
    KudosRequest,
    NotWithdrawable,
    give_kudos,
    withdraw_kudos,
)
from mentorbadges.programs.models import Loop, Participant, Program
from mentorbadges.reports.csv import export_csv
from tests.history import History
from tests.scene import mentoring_scene


def request(category: str = "expertise", key: str = "k1") -> KudosRequest:
    return KudosRequest(
        loop=Loop.objects.get(external_id="l1"),
        giver=Participant.objects.get(external_id="ben"),
        recipient=Participant.objects.get(external_id="ana"),
        category=category,
        feedback="  Thanks!  ",
        key=key,
    )


def test_giving_the_same_key_twice_gives_one_kudos(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    first = give_kudos(program, request())
    second = give_kudos(program, request())

    assert (first.status, second.status) == ("applied", "duplicate")
    assert Award.objects.filter(badge="expertise").count() == 1
    assert Award.objects.get(badge="expertise").feedback == "Thanks!"


def test_a_refused_kudos_says_why_and_leaves_no_award(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)

    outcome = give_kudos(program, request(category="kindness"))

    assert (outcome.status, outcome.reason) == ("rejected", "unknown_category")
    assert not Award.objects.filter(badge="kindness").exists()


def test_withdrawing_a_kudos_removes_it_from_the_export_and_keeps_the_audit(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    coordinator = User.objects.create_user("coord")
    award = Award.objects.get(badge="trust")

    withdraw_kudos(award, coordinator, "  Inappropriate feedback.  ")

    award.refresh_from_db()
    assert award.revoked_at is not None
    assert award.revoked_reason == "Inappropriate feedback."
    change = AwardChange.objects.get(award=award)
    assert (change.action, change.actor) == (AwardChange.WITHDRAWN, coordinator)
    assert "Trust" not in b"".join(export_csv(program)).decode()


def test_only_a_standing_kudos_can_be_withdrawn(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    kudos = Award.objects.get(badge="trust")
    achievement = Award.objects.filter(badge="momentum").first()
    assert achievement is not None
    withdraw_kudos(kudos, None, "Once.")

    with pytest.raises(NotWithdrawable):
        withdraw_kudos(kudos, None, "Twice.")
    with pytest.raises(NotWithdrawable):
        withdraw_kudos(achievement, None, "Not a kudos.")
    with pytest.raises(NotWithdrawable):
        withdraw_kudos(Award.objects.get(badge="commitment"), None, "   ")
