from django.contrib.auth.models import User

from mentorbadges.programs.models import Participant, Program
from tests.history import History
from tests.web.conftest import link, signed_in

FEEDBACK = "Always made me feel heard, even on the hard weeks."


def profile_url(external_id: str) -> str:
    return f"/p/north/people/{Participant.objects.get(external_id=external_id).pk}/"


def test_a_participant_reads_their_own_feedback(scene: History) -> None:
    ana = link("ana", "ana")

    page = signed_in(ana).get(profile_url("ana")).content.decode()

    assert "My badges" in page
    assert FEEDBACK in page
    assert 'aria-label="Trust kudos, received once"' in page


def test_other_participants_see_badges_but_never_feedback(ben: User) -> None:
    page = signed_in(ben).get(profile_url("ana")).content.decode()

    assert 'aria-label="Trust kudos, received once"' in page
    assert 'aria-label="Certified"' in page
    assert FEEDBACK not in page
    assert "Feedback you received" not in page


def test_progress_to_the_next_level_is_spelled_out(ben: User) -> None:
    page = signed_in(ben).get(profile_url("ben")).content.decode()

    assert "4 more meetings to Silver" in page
    assert "3 more top ratings to Bronze" in page


def test_times_are_shown_in_the_program_time_zone(
    program: Program, scene: History, coordinator: User
) -> None:
    program.time_zone = "Asia/Tokyo"
    program.save()

    page = signed_in(coordinator).get("/p/north/kudos/all/?type=kudos").content.decode()

    # Kudos were given at 09:00 UTC, which is 18:00 in Tokyo.
    assert "2026-01-10 18:00" in page
    assert "Times are shown in Asia/Tokyo time." in page
