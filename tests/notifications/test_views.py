import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.template import Context, Template
from django.test import Client, RequestFactory

from mentorbadges.badges.services import withdraw_kudos
from mentorbadges.notifications.models import Notification
from mentorbadges.notifications.services import emails_on, unsubscribe_token
from mentorbadges.programs.models import Participant, Program
from tests.conftest import post_events
from tests.history import History
from tests.notifications.conftest import (
    Commit,
    account,
    load,
    pair_history,
    signed_in,
    staff,
)


@pytest.fixture
def news(program: Program, history: History, committed: Commit) -> History:
    """Ben holds a kudos with feedback, Momentum Bronze and a kudos prompt."""
    pair_history(history)
    for n in range(5):
        history.meeting("l1", f"m{n}", day=2 + n)
    history.kudos("l1", "ana", "ben", day=8, feedback="<b>Bold</b> move")
    committed(lambda: load(program, history.events))
    survey = history.survey("l1", "ben", 5, day=9)
    committed(lambda: post_events(program, [survey]))
    return history


@pytest.fixture
def ben(news: History) -> Client:
    return signed_in(account("ben", "ben"))


def test_a_participant_sees_their_notifications_newest_first(ben: Client) -> None:
    response = ben.get("/notifications/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "3 unread" in text
    prompt = "You rated your one-to-one loop with Ana Álvarez highly"
    assert text.index(prompt) < text.index("You earned Momentum Bronze")
    assert "Ana Álvarez gave you a Trust kudos" in text


def test_loops_are_named_by_kind_and_partner_never_by_their_id(ben: Client) -> None:
    text = ben.get("/notifications/").content.decode()

    assert "thank your partner with a kudos" in text
    assert "In your one-to-one loop with Ana Álvarez." in text
    # Random tokens on the page may hold the letters; a word may not.
    assert re.search(r"\bl1\b", text) is None


def test_a_group_loop_is_named_by_its_first_partners_and_how_many_more(
    program: Program, history: History, committed: Commit
) -> None:
    for who in ("ana", "ben", "cleo", "dan", "eve"):
        history.person(who, f"{who.capitalize()} Smith")
    history.group("g1", "ana", "ben", "cleo", "dan", "eve")
    history.meeting("g1", "m0", day=2)
    committed(lambda: load(program, history.events))
    survey = history.survey("g1", "ben", 5, day=3)
    committed(lambda: post_events(program, [survey]))

    text = signed_in(account("ben", "ben")).get("/notifications/").content.decode()

    assert (
        "You rated your group loop with Ana, Cleo and 2 others highly: "
        "thank your loop partners with a kudos"
    ) in text


def test_news_of_an_award_is_dated_by_the_award(ben: Client) -> None:
    page = ben.get("/notifications/").content.decode()

    # The kudos was given on day 8 (13 January 2026), whenever it was loaded.
    assert "13 Jan 2026" in page
    assert 'datetime="2026-01-13T' in page


def test_feedback_on_the_page_is_escaped(ben: Client) -> None:
    text = ben.get("/notifications/").content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; move" in text
    assert "<b>Bold</b>" not in text


def test_a_prompt_links_to_giving_kudos_to_each_partner(
    ben: Client, program: Program
) -> None:
    ana = Participant.objects.get(external_id="ana")
    loop = ana.membership_set.get().loop

    text = ben.get("/notifications/").content.decode()

    assert f"/p/north/kudos/give/{loop.pk}/{ana.pk}/" in text


def test_marking_one_notification_read_leaves_the_others(ben: Client) -> None:
    first = Notification.objects.filter(kind=Notification.KUDOS).get()

    response = ben.post("/notifications/read/", {"notification": first.pk})

    assert response.status_code == 302
    unread = Notification.objects.filter(recipient__external_id="ben", read_at=None)
    assert unread.count() == 2
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_all_read_clears_the_unread_count(ben: Client) -> None:
    ben.post("/notifications/read/")

    assert "You are all caught up." in ben.get("/notifications/").content.decode()


def test_nobody_can_mark_another_participants_notifications(
    news: History, program: Program
) -> None:
    ana = signed_in(account("ana", "ana"))
    theirs = Notification.objects.filter(recipient__external_id="ben").first()
    assert theirs is not None

    ana.post("/notifications/read/", {"notification": theirs.pk})

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_is_only_by_post(ben: Client) -> None:
    assert ben.get("/notifications/read/").status_code == 405


def test_anonymous_visitors_are_asked_to_sign_in(news: History) -> None:
    response = Client().get("/notifications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_without_a_participant_record_find_no_page(
    news: History, program: Program
) -> None:
    assert signed_in(staff(program, "coord")).get("/notifications/").status_code == 404


def test_a_participant_turns_e_mails_off_and_on(ben: Client) -> None:
    person = Participant.objects.get(external_id="ben")

    ben.post("/notifications/email/", {"email": "off"})
    assert not emails_on(person)
    assert "Turn e-mails on" in ben.get("/notifications/").content.decode()

    ben.post("/notifications/email/", {"email": "on"})
    assert emails_on(person)


def test_the_unsubscribe_link_asks_before_it_acts(news: History) -> None:
    person = Participant.objects.get(external_id="ben")
    url = f"/notifications/unsubscribe/{unsubscribe_token(person)}/"
    client = Client()

    assert client.get(url).status_code == 200
    assert emails_on(person)

    response = client.post(url)
    assert response.status_code == 200
    assert not emails_on(person)


def test_a_forged_unsubscribe_link_is_not_found(news: History) -> None:
    assert Client().get("/notifications/unsubscribe/1:forged/").status_code == 404


def render_link(user: User | None) -> str:
    request = RequestFactory().get("/")
    request.user = user if user is not None else AnonymousUser()
    template = Template("{% load notifications %}{% notifications_link %}")
    return template.render(Context({"request": request}))


def test_the_nav_link_shows_the_unread_count(news: History) -> None:
    html = render_link(account("ben", "ben"))

    assert 'href="/notifications/"' in html
    assert ">3</span>" in html
    assert "3 unread" in html


def test_the_nav_link_is_empty_for_people_without_notifications(
    news: History, program: Program
) -> None:
    assert render_link(None) == ""
    assert render_link(staff(program, "coord")) == ""


def test_a_withdrawn_kudos_leaves_the_page_and_the_count(
    ben: Client, program: Program
) -> None:
    award = Notification.objects.get(kind=Notification.KUDOS).award
    assert award is not None

    withdraw_kudos(award, None, "Not appropriate.")

    text = ben.get("/notifications/").content.decode()
    assert "Bold" not in text
    assert "2 unread" in text
