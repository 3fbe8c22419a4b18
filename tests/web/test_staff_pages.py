import csv
import io

from django.contrib.auth.models import User

from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.programs.models import Program
from tests.conftest import export_text, import_events
from tests.history import History
from tests.web.conftest import signed_in

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_the_export_button_downloads_the_contract_file(
    scene: History, coordinator: User, program: Program
) -> None:
    response = signed_in(coordinator).get("/p/north/badges.csv")

    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert body == export_text(program)


def test_the_export_follows_the_current_filter(
    scene: History, coordinator: User
) -> None:
    client = signed_in(coordinator)
    page = client.get("/p/north/kudos/all/?type=kudos&badge=trust").content.decode()
    assert 'href="/p/north/badges.csv?type=kudos&amp;badge=trust"' in page

    response = client.get("/p/north/badges.csv?type=kudos&badge=trust")

    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["type"], r["badge"]) for r in rows] == [("Kudos", "Trust")]


def test_all_badges_sorts_by_recipient_with_feedback_last(
    scene: History, coordinator: User
) -> None:
    page = (
        signed_in(coordinator)
        .get("/p/north/kudos/all/?sort=recipient&order=asc")
        .content.decode()
    )

    headers = [
        "Date",
        "Type",
        "Badge",
        "Level",
        "Recipient",
        "Giver",
        "Loop",
        "Feedback",
    ]
    positions = [page.index(f">{h}</a></th>") for h in headers]
    assert positions == sorted(positions)
    assert 'aria-sort="ascending"><a href="?sort=recipient&amp;order=desc' in page
    assert page.index("Ana Álvarez</a></td>") < page.index("ben Brown</a></td>")


def test_htmx_requests_get_only_the_table(scene: History, coordinator: User) -> None:
    page = signed_in(coordinator).get(
        "/p/north/kudos/all/?sort=giver", headers={"HX-Request": "true"}
    )

    assert b"<html" not in page.content
    assert b"<table>" in page.content


def test_withdrawing_a_kudos_removes_it_and_keeps_the_audit(
    scene: History, coordinator: User, program: Program
) -> None:
    award = Award.objects.get(badge="trust")
    client = signed_in(coordinator)

    form = client.get(f"/p/north/kudos/{award.pk}/withdraw/")
    response = client.post(
        f"/p/north/kudos/{award.pk}/withdraw/", {"reason": "Inappropriate feedback."}
    )

    assert "Always made me feel heard" in form.content.decode()
    assert response.status_code == 302
    assert "Trust" not in export_text(program)
    table = client.get("/p/north/kudos/all/?type=kudos").content.decode()
    assert "Always made me feel heard" not in table
    change = AwardChange.objects.get(award=award)
    assert (change.action, change.reason, change.actor) == (
        "withdrawn",
        "Inappropriate feedback.",
        coordinator,
    )


def test_withdrawing_twice_confirms_once_and_audits_once(
    scene: History, coordinator: User
) -> None:
    award = Award.objects.get(badge="trust")
    client = signed_in(coordinator)
    url = f"/p/north/kudos/{award.pk}/withdraw/"

    client.post(url, {"reason": "Inappropriate feedback."})
    again = client.post(url, {"reason": "Inappropriate feedback."}, follow=True)

    assert "This kudos was already withdrawn." in again.content.decode()
    assert AwardChange.objects.filter(award=award).count() == 1


def test_a_withdrawal_needs_a_reason(scene: History, coordinator: User) -> None:
    award = Award.objects.get(badge="trust")

    response = signed_in(coordinator).post(
        f"/p/north/kudos/{award.pk}/withdraw/", {"reason": "  "}
    )

    assert response.status_code == 422
    assert "Say why the kudos is withdrawn." in response.content.decode()
    assert Award.objects.get(pk=award.pk).revoked_at is None


def test_a_reason_over_the_limit_is_refused_in_a_plain_sentence(
    scene: History, coordinator: User
) -> None:
    award = Award.objects.get(badge="trust")

    response = signed_in(coordinator).post(
        f"/p/north/kudos/{award.pk}/withdraw/", {"reason": "x" * 301}
    )

    assert response.status_code == 422
    text = response.content.decode()
    assert "The reason is longer than 300 characters. Please shorten it." in text
    assert "Ensure this value" not in text
    assert Award.objects.get(pk=award.pk).revoked_at is None


def test_summary_shows_figures_and_stories(scene: History, coordinator: User) -> None:
    page = signed_in(coordinator).get("/p/north/kudos/").content.decode()

    assert "Kudos per category" in page
    assert "1 of 2 loops" in page
    assert "Always made me feel heard, even on the hard weeks." in page


def test_a_new_program_has_helpful_empty_states(
    program: Program, coordinator: User
) -> None:
    client = signed_in(coordinator)

    assert "No kudos yet" in client.get("/p/north/kudos/").content.decode()
    assert "No badges yet" in client.get("/p/north/kudos/all/").content.decode()
    assert "No participants yet" in client.get("/p/north/people/").content.decode()
    assert "Nothing rejected" in client.get("/p/north/rejections/").content.decode()


def test_rejected_events_are_listed_with_their_reason(
    scene: History, coordinator: User, program: Program, history: History
) -> None:
    history.kudos("quiet", "ben", "cleo", day=9)
    import_events(program, history.events)

    page = signed_in(coordinator).get("/p/north/rejections/").content.decode()

    assert "no_meeting_yet" in page
    assert "first completed meeting" in page


def test_hostile_text_is_shown_literally_everywhere(
    program: Program, history: History, coordinator: User
) -> None:
    history.person("evil", HOSTILE)
    history.person("kind", "Kind")
    history.pair("lx", "kind", "evil")
    history.meeting("lx", "m1", day=2)
    history.kudos("lx", "evil", "kind", day=3, feedback=HOSTILE)
    history.kudos(
        "lx", "kind", "evil", day=3, feedback=HOSTILE + " and more kind words"
    )
    import_events(program, history.events)
    client = signed_in(coordinator)

    for url in [
        "/p/north/kudos/",
        "/p/north/kudos/all/",
        "/p/north/people/",
        f"/p/north/people/{Award.objects.filter(badge='trust').first().recipient_id}/",  # type: ignore[union-attr]
    ]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
    assert "&lt;script&gt;alert" in client.get("/p/north/kudos/all/").content.decode()


def test_dates_given_the_wrong_way_round_are_named_as_such(
    scene: History, coordinator: User
) -> None:
    page = signed_in(coordinator).get(
        "/p/north/kudos/all/?since=2026-03-01&until=2026-01-01"
    )

    text = page.content.decode()
    assert "The From day comes after the To day" in text
    assert "No badges match these filters" not in text
