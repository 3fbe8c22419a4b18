import pytest
from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Participant, Program, StaffRole
from tests.conftest import import_events
from tests.history import History
from tests.web.conftest import link, signed_in

STAFF_PAGES = [
    "/p/north/kudos/",
    "/p/north/kudos/all/",
    "/p/north/badges.csv",
    "/p/north/rejections/",
]


def profile_url(external_id: str) -> str:
    return f"/p/north/people/{Participant.objects.get(external_id=external_id).pk}/"


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/p/north/people/", "/"])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, scene: History) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/p/north/people/"])
def test_a_coordinator_of_another_program_gets_not_found(
    url: str, scene: History, outsider: User
) -> None:
    assert signed_in(outsider).get(url).status_code == 404


def test_a_coordinator_of_another_program_cannot_open_a_profile(
    scene: History, outsider: User
) -> None:
    assert signed_in(outsider).get(profile_url("ana")).status_code == 404


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_a_participant_cannot_open_staff_pages(url: str, ben: User) -> None:
    assert signed_in(ben).get(url).status_code == 404


@pytest.mark.parametrize("url", [*STAFF_PAGES, "/p/north/people/"])
def test_a_coordinator_opens_every_page_of_their_program(
    url: str, scene: History, coordinator: User
) -> None:
    assert signed_in(coordinator).get(url).status_code == 200


def test_a_participant_sees_other_participants_of_their_program(ben: User) -> None:
    client = signed_in(ben)

    assert client.get("/p/north/people/").status_code == 200
    assert client.get(profile_url("ana")).status_code == 200


def test_a_participant_of_another_program_sees_nothing_here(
    scene: History, other_program: Program, history: History
) -> None:
    elsewhere = History()
    elsewhere.person("zed")
    import_events(other_program, elsewhere.events)
    zed = User.objects.create_user("zed")
    Participant.objects.filter(program=other_program).update(user=zed)
    client = signed_in(zed)

    assert client.get("/p/north/people/").status_code == 404
    assert client.get(profile_url("ana")).status_code == 404


def test_an_unknown_program_is_not_found(coordinator: User) -> None:
    assert signed_in(coordinator).get("/p/nowhere/kudos/").status_code == 404


def test_staff_home_lists_only_their_programs(
    scene: History, coordinator: User, other_program: Program
) -> None:
    page = signed_in(coordinator).get("/").content.decode()

    assert "North Mentoring" in page
    assert "South Mentoring" not in page


def test_a_withdrawal_in_another_program_is_not_found(
    scene: History, outsider: User
) -> None:
    award = Award.objects.filter(badge="trust").get()
    url = f"/p/south/kudos/{award.pk}/withdraw/"

    response = signed_in(outsider).post(url, {"reason": "Nope."})

    assert response.status_code == 404
    assert Award.objects.get(pk=award.pk).revoked_at is None


def test_staff_give_no_kudos(scene: History, coordinator: User) -> None:
    loop = Loop.objects.get(external_id="l1")
    ana = Participant.objects.get(external_id="ana")

    response = signed_in(coordinator).get(f"/p/north/kudos/give/{loop.pk}/{ana.pk}/")

    assert response.status_code == 404


def test_a_participant_who_is_also_staff_is_told_staff_give_no_kudos(
    scene: History, program: Program, coordinator: User
) -> None:
    ben = link("ben", "ben")
    StaffRole.objects.create(program=program, user=ben, role=StaffRole.COORDINATOR)
    loop = Loop.objects.get(external_id="l1")
    ana = Participant.objects.get(external_id="ana")

    page = signed_in(ben).get(f"/p/north/kudos/give/{loop.pk}/{ana.pk}/")

    assert "Program staff neither give nor receive kudos." in page.content.decode()
