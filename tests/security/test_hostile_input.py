"""The hostile corpus through file import, the API and the web forms."""

import csv
import io
import json
import uuid
from typing import Any

import pytest
from django.test import Client

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.activity.services import import_lines
from mentorbadges.api.models import ApiToken
from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Loop, Participant, Program
from tests.conftest import as_lines, export_text, import_events, standing
from tests.history import History
from tests.scene import mentoring_scene
from tests.security import corpus
from tests.security.conftest import Cast, signed_in

API_URL = "/api/v1/programs/north/events"


def stored(program: Program) -> tuple[Any, ...]:
    """Return what ingestion may change, apart from the kept rejections."""
    return (
        sorted(
            Event.objects.filter(program=program).values_list("event_id", "payload")
        ),
        sorted(
            Award.objects.filter(program=program).values_list(
                "stable_key", "feedback", "revoked_at"
            )
        ),
        sorted(
            Participant.objects.filter(program=program).values_list(
                "external_id", "name", "email", "active"
            )
        ),
    )


@pytest.fixture
def api(cast: Cast) -> Client:
    raw = ApiToken.issue(cast.north, "Platform")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


# File import.


def test_a_file_mixing_valid_and_hostile_lines_keeps_every_valid_one(
    program: Program, other_program: Program
) -> None:
    valid = as_lines(mentoring_scene(other_program, History()).events)
    hostile = [corpus.line(case.event) for case in corpus.EVENTS] + [
        raw for _, raw, _ in corpus.RAW_LINES + corpus.FILE_ONLY
    ]
    expected = [case.reason for case in corpus.EVENTS] + [
        reason for _, _, reason in corpus.RAW_LINES + corpus.FILE_ONLY
    ]
    # Hostile lines go first, interleaved with the history, so a refused
    # line can spoil neither what comes before it nor after it.
    mixed: list[bytes] = []
    for n, raw in enumerate(hostile):
        mixed += [raw, *valid[n * 3 : n * 3 + 3]]
    mixed += valid[len(hostile) * 3 :]

    report = import_lines(program, mixed)

    reasons = {outcome.line: outcome.reason for outcome in report.rejections}
    found = [reasons.get(mixed.index(raw) + 1) for raw in hostile]
    assert found == expected
    assert standing(program) == standing(other_program)
    assert (
        export_text(program).splitlines()[1:]
        == export_text(other_program).splitlines()[1:]
    )


@pytest.mark.parametrize("case", corpus.EVENTS, ids=lambda case: case.label)
def test_each_hostile_event_in_a_file_is_refused_with_its_reason(
    case: corpus.Case, cast: Cast
) -> None:
    before = stored(cast.north)

    [outcome] = import_lines(cast.north, [corpus.line(case.event)]).rejections

    assert outcome.reason == case.reason
    assert stored(cast.north) == before
    kept = Rejection.objects.get(program=cast.north)
    assert kept.reason == case.reason
    assert "\x00" not in kept.content


# The API.


@pytest.mark.parametrize("case", corpus.EVENTS, ids=lambda case: case.label)
def test_each_hostile_event_over_the_api_is_rejected_with_its_reason(
    case: corpus.Case, cast: Cast, api: Client
) -> None:
    before = stored(cast.north)

    response = api.post(
        API_URL, json.dumps({"events": [case.event]}), content_type="application/json"
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert (result["status"], result["reason"]) == ("rejected", case.reason)
    assert stored(cast.north) == before


@pytest.mark.parametrize(
    ("label", "raw", "reason"), corpus.RAW_LINES, ids=[c[0] for c in corpus.RAW_LINES]
)
def test_a_body_that_is_no_event_object_is_refused_whole(
    label: str, raw: bytes, reason: str, cast: Cast, api: Client
) -> None:
    before = stored(cast.north)
    body = b'{"events": [' + raw + b"]}"

    response = api.post(API_URL, body, content_type="application/json")

    assert response["Content-Type"] == "application/problem+json"
    if reason == "invalid_json":
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_json"
    else:
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_request"
    assert stored(cast.north) == before
    assert not Rejection.objects.filter(program=cast.north).exists()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b'{"events": [{"id": "a"}], "events": []}', 400, "invalid_json"),
        (b"\xff\xfe{}", 400, "invalid_json"),
        (b"x" * 3_000_000, 413, "too_large"),
        (b'{"events": "' + b"x" * 1_000_000 + b'"}', 422, "invalid_request"),
        (json.dumps({"events": [{}] * 1001}).encode(), 422, "invalid_request"),
        (b'{"events": []}', 422, "invalid_request"),
        (b'{"events": [1, "a", null]}', 422, "invalid_request"),
        (b"[]", 422, "invalid_request"),
        (b"null", 422, "invalid_request"),
    ],
    ids=[
        "repeated top-level key",
        "invalid UTF-8",
        "3 MB body",
        "events as a huge string",
        "1,001 events",
        "no events",
        "events that are not objects",
        "a list",
        "null",
    ],
)
def test_malformed_bodies_get_a_problem_and_change_nothing(
    body: bytes, status: int, code: str, cast: Cast, api: Client
) -> None:
    before = stored(cast.north)

    response = api.post(API_URL, body, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert stored(cast.north) == before


def test_the_api_kudos_endpoint_refuses_hostile_ids_and_types(
    cast: Cast, api: Client
) -> None:
    url = "/api/v1/programs/north/kudos"
    base = {"id": "k", "loop": "l1", "giver": "ben", "recipient": "ana"}
    refused: list[dict[str, Any]] = [
        {**base, "category": "trust", "id": "k\x00"},
        {**base, "category": "trust", "id": "i" * 201},
        {**base, "category": "trust", "giver": 5},
        {**base, "category": "trust", "feedback": {"a": 1}},
        {**base, "category": "trust", "admin": True},
    ]
    rejected = [
        (
            {**base, "category": "trust", "occurred_at": "2026-02-01T09:00"},
            "invalid_timestamp",
        ),
        (
            {**base, "category": "trust", "occurred_at": "1970-01-01T00:00:00Z"},
            "invalid_timestamp",
        ),
        ({**base, "category": corpus.MARKUP[0]}, "unknown_category"),
        ({**base, "category": "trust", "feedback": "f" * 1001}, "feedback_too_long"),
        ({**base, "category": "trust", "feedback": corpus.LONG}, 422),
    ]
    before = stored(cast.north)

    def post(body: dict[str, Any]) -> Any:
        return api.post(url, json.dumps(body), content_type="application/json")

    statuses = [post(body).status_code for body in refused]
    answers = [post(body) for body, _ in rejected]
    reasons = [
        answer.json()["reason"] if answer.status_code == 200 else answer.status_code
        for answer in answers
    ]

    assert statuses == [422] * len(refused)
    assert reasons == [reason for _, reason in rejected]
    assert stored(cast.north) == before


@pytest.mark.parametrize("text", corpus.PRINTABLE)
def test_hostile_names_are_stored_as_given_and_shown_escaped(
    text: str, cast: Cast, api: Client
) -> None:
    event = corpus.upsert(f"odd-{uuid.uuid4().hex}", id="ana", name=text)
    event["occurred_at"] = "2026-06-01T09:00:00Z"
    assert not import_events(cast.north, [event])

    pages = signed_in(cast.coordinator)
    html = "".join(
        pages.get(url).content.decode()
        for url in ("/p/north/people/", "/p/north/kudos/all/", "/p/north/kudos/")
    )

    assert Participant.objects.get(program=cast.north, external_id="ana").name == text
    assert "<script>alert" not in html
    assert "<svg/onload" not in html
    assert "<img src=x" not in html
    if text.startswith(("=", "+", "-", "@")):
        rows = csv.DictReader(io.StringIO(export_text(cast.north)))
        names = {row["recipient_id"]: row["recipient_name"] for row in rows}
        assert names["ana"] == f"'{text}"
    api_text = api.get("/api/v1/programs/north/participants/ana/badges").json()
    assert json.dumps(api_text)  # the API answers JSON, never markup


# Web forms.


def give_url() -> str:
    loop = Loop.objects.get(external_id="l1").pk
    ana = Participant.objects.get(external_id="ana").pk
    return f"/p/north/kudos/give/{loop}/{ana}/"


@pytest.fixture
def no_caps(settings: Any) -> None:
    settings.KUDOS_DAILY_CAP = 1000
    settings.KUDOS_REPEAT_CAP = 1000


@pytest.mark.parametrize("text", [*corpus.PRINTABLE, "line\nbreak", "\tindented"])
def test_hostile_feedback_is_kept_and_escaped_everywhere(
    text: str, cast: Cast, no_caps: None
) -> None:
    client = signed_in(cast.participant)

    response = client.post(
        give_url(), {"category": "trust", "feedback": text, "key": uuid.uuid4().hex}
    )

    assert response.status_code == 302
    award = Award.objects.filter(giver__external_id="ben").latest("pk")
    assert award.feedback == text.strip()
    table = signed_in(cast.coordinator).get("/p/north/kudos/all/").content.decode()
    sent = client.get(response["Location"]).content.decode()
    for html in (table, sent):
        assert "<script>alert" not in html
        assert "<svg/onload" not in html
        assert "<img src=x" not in html
    csv = export_text(cast.north)
    for cell in ("=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)"):
        if text == cell:
            assert f",'{cell}\r\n" in csv


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"feedback": "a\x00b"}, "Null characters are not allowed."),
        ({"feedback": corpus.LONG}, "longer than 1,000 characters"),
        ({"category": corpus.MARKUP[0]}, "Choose one of the five kinds of kudos."),
        ({"key": "../../etc/passwd"}, "This form has expired."),
        ({"key": "a" * 10_000}, "This form has expired."),
    ],
    ids=[
        "NUL",
        "100,000 characters",
        "markup category",
        "path key",
        "long key",
    ],
)
def test_hostile_kudos_forms_are_refused_with_a_message(
    fields: dict[str, Any], message: str, cast: Cast, no_caps: None
) -> None:
    before = stored(cast.north)
    data = {"category": "trust", "feedback": "", "key": uuid.uuid4().hex, **fields}

    response = signed_in(cast.participant).post(give_url(), data)

    assert response.status_code in (200, 422)
    assert message in response.content.decode()
    assert stored(cast.north) == before


def test_hostile_withdrawal_reasons_are_refused_or_escaped(cast: Cast) -> None:
    client = signed_in(cast.coordinator)
    kudos = Award.objects.filter(giver__external_id="ben").first()
    assert kudos is not None
    url = f"/p/north/kudos/{kudos.pk}/withdraw/"

    refused = client.post(url, {"reason": "a\x00b"})
    too_long = client.post(url, {"reason": "r" * 301})
    kept = client.post(url, {"reason": corpus.MARKUP[0]}, follow=True)

    assert refused.status_code == too_long.status_code == 422
    assert kept.status_code == 200
    audit = client.get("/p/north/audit/").content.decode()
    assert corpus.MARKUP[0] not in audit
    assert "&lt;script&gt;" in audit


@pytest.mark.parametrize(
    "query",
    [
        "/p/north/people/?q=%3Cscript%3E&page=-1",
        "/p/north/people/?q=" + "x" * 5000,
        "/p/north/people/?q=%00",
        "/p/north/kudos/all/?sort=%3Cscript%3E&page=abc",
        "/p/north/kudos/all/?badge=%00&level=99&from=2026-13-45&to=x",
        "/p/north/kudos/all/?recipient=" + "%27" * 500 + "&descending=maybe",
        "/p/north/badges.csv?from=%00&sort=recipient%00",
        "/p/north/rejections/?reason=%3Cb%3E&page=999999",
        "/p/north/rejections/?reason=%00",
        "/p/north/audit/?changes=-5&entries=%00",
        "/p/north/health/?months=%00",
    ],
)
def test_hostile_query_strings_never_fail(query: str, cast: Cast) -> None:
    response = signed_in(cast.coordinator).get(query)

    assert response.status_code in (200, 400, 404)
    if response.status_code == 200 and not query.startswith("/p/north/badges.csv"):
        assert "<script>" not in response.content.decode()


NUL_EVERYWHERE = (
    "?q=%00&reason=%00&page=%00&sort=%00&type=%00&badge=%00&since=%00&until=%00"
    "&period=%00&from=%00&to=%00&changes=%00&entries=%00&order=%00&c=%00"
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/p/north/kudos/",
        "/p/north/kudos/all/",
        "/p/north/badges.csv",
        "/p/north/people/",
        "/p/north/rejections/",
        "/p/north/health/",
        "/p/north/health/figures.csv",
        "/p/north/share/",
        "/p/north/audit/",
    ],
)
def test_nul_in_any_query_parameter_never_fails(path: str, cast: Cast) -> None:
    for user in (cast.coordinator, cast.admin, cast.participant):
        response = signed_in(user).get(path + NUL_EVERYWHERE)

        assert response.status_code in (200, 400, 404), (path, user)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/programs/north/badges",
        "/api/v1/programs/north/badges.csv",
        "/api/v1/programs/north/kudos/summary",
        "/api/v1/programs/north/health",
        "/api/v1/programs/north/participants/%00/badges",
        "/api/v1/programs/%00/badges",
    ],
)
def test_nul_in_api_addresses_and_parameters_never_fails(
    path: str, api: Client
) -> None:
    response = api.get(
        path + "?recipient=%00&badge=%00&type=%00&sort=%00&cursor=%00&since=%00"
        "&until=%00&limit=%00&giver=%00&loop=%00"
    )

    assert 200 <= response.status_code < 500, response.content[:300]


EDGE_DAYS = "?since=0001-01-01&until=9999-12-31&starts_on=0001-01-01&ends_on=9999-12-31"


@pytest.mark.parametrize(
    "path",
    [
        "/p/north/kudos/",
        "/p/north/kudos/all/",
        "/p/north/badges.csv",
        "/p/north/health/",
        "/p/north/share/",
    ],
)
def test_days_at_the_ends_of_the_calendar_never_fail(path: str, cast: Cast) -> None:
    response = signed_in(cast.coordinator).get(path + EDGE_DAYS)

    assert response.status_code == 200


def test_the_api_names_a_day_outside_the_calendar(api: Client) -> None:
    response = api.get("/api/v1/programs/north/badges?until=9999-12-31")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "'until'" in response.json()["detail"]
