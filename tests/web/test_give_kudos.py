import re

from django.contrib.auth.models import User
from django.test import Client

from mentorbadges.activity.models import Rejection
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Participant, Program
from tests.conftest import import_events
from tests.history import History
from tests.scene import mentoring_scene
from tests.web.conftest import link, signed_in


def give_url(loop: str, recipient: str) -> str:
    loop_pk = Loop.objects.get(external_id=loop).pk
    person_pk = Participant.objects.get(external_id=recipient).pk
    return f"/p/north/kudos/give/{loop_pk}/{person_pk}/"


def form_key(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="key" value="([0-9a-f]{32})"', page)
    assert found, page
    return found.group(1)


def test_home_offers_kudos_to_each_loop_partner(ben: User) -> None:
    page = signed_in(ben).get("/").content.decode()

    assert 'Give kudos<span class="visually-hidden"> to Ana Álvarez' in page
    assert "Kudos open after your first meeting together." in page


def test_the_form_shows_five_categories_with_their_meaning(ben: User) -> None:
    page = signed_in(ben).get(give_url("l1", "ana")).content.decode()

    for meaning in (
        "Building safe, trusted, empathetic relationships.",
        "Connecting people, resources and opportunities.",
        "Sharing knowledge with impact.",
        "Consistently showing up and following through.",
        "Sparking new ideas and perspectives.",
    ):
        assert meaning in page
    assert 'maxlength="1000"' in page


def test_giving_kudos_confirms_and_counts(ben: User) -> None:
    client = signed_in(ben)
    url = give_url("l1", "ana")
    key = form_key(client, url)

    response = client.post(
        url, {"category": "expertise", "feedback": "Clear as day.", "key": key}
    )

    assert response.status_code == 302
    confirmation = client.get(response["Location"]).content.decode()
    assert "Kudos sent!" in confirmation
    assert "Clear as day." in confirmation
    award = Award.objects.get(badge="expertise")
    assert (award.recipient.external_id, award.giver.external_id) == ("ana", "ben")


def test_a_resubmitted_form_gives_one_kudos(ben: User) -> None:
    client = signed_in(ben)
    url = give_url("l1", "ana")
    data = {"category": "creativity", "feedback": "", "key": form_key(client, url)}

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Award.objects.filter(badge="creativity").count() == 1
    assert not Rejection.objects.exists()


def test_the_same_form_sent_again_with_other_choices_is_explained(
    ben: User,
) -> None:
    client = signed_in(ben)
    url = give_url("l1", "ana")
    key = form_key(client, url)
    client.post(url, {"category": "creativity", "feedback": "", "key": key})
    given = Award.objects.filter(giver__external_id="ben").count()

    again = client.post(url, {"category": "trust", "feedback": "", "key": key})

    assert again.status_code == 422
    page = again.content.decode()
    assert "You already sent this form with other choices" in page
    fresh = re.search(r'name="key" value="([0-9a-f]{32})"', page)
    assert fresh is not None and fresh.group(1) != key
    assert Award.objects.filter(giver__external_id="ben").count() == given

    third = client.post(url, {"category": "trust", "key": fresh.group(1)})

    assert third.status_code == 302
    assert Award.objects.filter(giver__external_id="ben").count() == given + 1


def test_kudos_before_the_first_meeting_are_explained(ben: User) -> None:
    client = signed_in(ben)
    url = give_url("quiet", "cleo")

    page = client.get(url).content.decode()
    refused = client.post(url, {"category": "trust", "key": "a" * 32})

    assert "Kudos open after your first meeting together." in page
    assert refused.status_code == 422
    assert "Kudos open after your first meeting together." in refused.content.decode()
    assert not Award.objects.filter(loop__external_id="quiet").exists()


def test_kudos_to_oneself_are_explained(ben: User) -> None:
    page = signed_in(ben).get(give_url("l1", "ben")).content.decode()

    assert "you cannot give one to yourself" in page


def test_kudos_to_someone_outside_the_loop_are_explained(ben: User) -> None:
    page = signed_in(ben).get(give_url("l1", "cleo")).content.decode()

    assert "only to a partner in a loop you are both in" in page


def test_kudos_in_a_closed_loop_are_explained(
    ben: User, program: Program, history: History
) -> None:
    history.add("loop.closed", "2026-03-01T09:00:00Z", loop="l1")
    import_events(program, history.events)

    page = signed_in(ben).get(give_url("l1", "ana")).content.decode()

    assert "This loop is closed" in page


def test_a_note_over_a_thousand_characters_is_refused(ben: User) -> None:
    client = signed_in(ben)
    url = give_url("l1", "ana")

    response = client.post(
        url, {"category": "trust", "feedback": "x" * 1001, "key": form_key(client, url)}
    )

    assert response.status_code == 200
    assert "longer than 1,000 characters" in response.content.decode()
    assert Award.objects.filter(giver__external_id="ben").count() == 1


def test_a_forged_key_is_refused(ben: User) -> None:
    response = signed_in(ben).post(
        give_url("l1", "ana"), {"category": "trust", "key": "../../x"}
    )

    assert "This form has expired" in response.content.decode()


def test_a_high_survey_score_leaves_a_prompt_until_kudos_are_given(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    history.survey("l1", "ana", 5, day=45)
    import_events(program, history.events)
    ana = link("ana", "ana-user")
    client = signed_in(ana)

    assert "You rated this loop highly." in client.get("/").content.decode()

    url = give_url("l1", "ben")
    client.post(url, {"category": "trust", "key": form_key(client, url)})

    assert "You rated this loop highly." not in client.get("/").content.decode()


def test_a_one_to_one_prompt_names_the_partner_and_the_loop_by_them(
    program: Program, history: History
) -> None:
    mentoring_scene(program, history)
    history.survey("l1", "ana", 5, day=45)
    import_events(program, history.events)

    page = signed_in(link("ana", "ana-user")).get("/").content.decode()

    assert "Tell your partner what made it work" in page
    assert 'aria-label="Your one-to-one loop with ben Brown"' in page
    assert 'aria-label="Loop l1"' not in page


def test_a_group_prompt_speaks_of_loop_partners(
    program: Program, history: History
) -> None:
    for who in ("ana", "ben", "cleo"):
        history.person(who, f"{who.capitalize()} Smith")
    history.group("g1", "ana", "ben", "cleo")
    history.meeting("g1", "m0", day=2)
    history.survey("g1", "ana", 5, day=3)
    import_events(program, history.events)

    page = signed_in(link("ana", "ana-user")).get("/").content.decode()

    assert "You rated this loop highly." in page
    assert "Tell your loop partners what made it work" in page
    assert "Tell your partner " not in page
    assert 'aria-label="Your group loop with Ben and Cleo"' in page


def test_the_confirmation_of_someone_elses_key_is_not_found(ben: User) -> None:
    client = signed_in(ben)
    url = give_url("l1", "ana")
    key = form_key(client, url)
    client.post(url, {"category": "trust", "key": key})
    ana = link("ana", "ana-user")

    assert signed_in(ana).get(f"/p/north/kudos/sent/{key}/").status_code == 404
