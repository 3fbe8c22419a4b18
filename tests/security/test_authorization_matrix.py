"""Every address, as every kind of visitor: who gets what.

A new route without an entry in ``ACCESS`` fails ``test_every_route_has_an_entry``.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mentorbadges.api.models import ApiToken
from mentorbadges.badges.models import Award
from mentorbadges.badges.services import KudosRequest, give_kudos
from mentorbadges.notifications.services import unsubscribe_token
from mentorbadges.programs.models import Loop, Participant
from mentorbadges.sharing.models import ShareLink
from mentorbadges.sharing.openbadges import badge_key
from mentorbadges.sharing.services import publish
from tests.conftest import post_events
from tests.history import at
from tests.security.conftest import Cast

ROLES = (
    "anonymous",
    "participant",
    "other_participant",
    "coordinator",
    "other_coordinator",
    "admin",
    "token",
    "other_token",
)


def shape(**statuses: int) -> dict[str, int]:
    assert set(statuses) == set(ROLES), set(ROLES) ^ set(statuses)
    return statuses


# Web pages ignore API tokens, and the API ignores sessions.
STAFF = shape(
    anonymous=302,
    participant=404,
    other_participant=404,
    coordinator=200,
    other_coordinator=404,
    admin=200,
    token=302,
    other_token=302,
)
ADMIN = {**STAFF, "coordinator": 404}
MEMBERS = {**STAFF, "participant": 200}
PARTICIPANT = {**STAFF, "participant": 200, "coordinator": 404, "admin": 404}
ANY_PARTICIPANT = {**PARTICIPANT, "other_participant": 200}
SIGNED_IN = {
    **ANY_PARTICIPANT,
    "coordinator": 200,
    "other_coordinator": 200,
    "admin": 200,
}
# A change that worked redirects back to the page it was made on.
PARTICIPANT_DONE = {**PARTICIPANT, "participant": 302}
ANY_PARTICIPANT_DONE = {**ANY_PARTICIPANT, "participant": 302, "other_participant": 302}
PUBLIC = dict.fromkeys(ROLES, 200)
API = shape(
    anonymous=401,
    participant=401,
    other_participant=401,
    coordinator=401,
    other_coordinator=401,
    admin=401,
    token=200,
    other_token=404,
)


@dataclass(frozen=True)
class Entry:
    statuses: dict[str, int]
    kwargs: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    body: Any = None


def entries(data: dict[str, str]) -> dict[str, Entry]:
    """Return the table, with the test data's ids in the addresses."""
    north = {"program": "north"}
    return {
        # The API.
        "api:openapi-json": Entry(PUBLIC),
        "api:openapi-view": Entry(PUBLIC),
        "api:api-root": Entry(dict.fromkeys(ROLES, 404)),
        "api/": Entry(dict.fromkeys(ROLES, 404)),
        "api:post_events": Entry(
            API, north, "post", {"events": [{"id": "matrix-1", "type": "loop.closed"}]}
        ),
        "api:give_kudos": Entry(
            API,
            north,
            "post",
            {
                "id": "matrix-k",
                "loop": "l1",
                "giver": "ben",
                "recipient": "ana",
                "category": "nonsense",
            },
        ),
        "api:badges_csv": Entry(API, north),
        "api:participant_badges": Entry(API, {**north, "participant": "ana"}),
        "api:all_badges": Entry(API, north),
        "api:kudos_summary_figures": Entry(API, north),
        "api:health": Entry(API, north),
        # Staff pages.
        "kudos-summary": Entry(STAFF, north),
        "all-badges": Entry(STAFF, north),
        "badges-csv": Entry(STAFF, north),
        "rejections": Entry(STAFF, north),
        "withdraw-kudos": Entry(STAFF, {**north, "award": data["kudos"]}),
        "health:page": Entry(STAFF, north),
        "health:csv": Entry(STAFF, north),
        "share": Entry(STAFF, north),
        "share-revoke": Entry(
            {**STAFF, "coordinator": 302, "admin": 302},
            {**north, "link": data["link"]},
            "post",
        ),
        "audit": Entry(STAFF, north),
        "participant-data": Entry(ADMIN, {**north, "participant": data["ana"]}),
        "participant-erase": Entry(ADMIN, {**north, "participant": data["ana"]}),
        "api-tokens": Entry(ADMIN, north),
        "api-token-revoke": Entry(
            {**ADMIN, "admin": 302}, {**north, "token": data["token"]}, "post"
        ),
        # Pages for the program's participants and staff.
        "people": Entry(MEMBERS, north),
        "profile": Entry(MEMBERS, {**north, "participant": data["ana"]}),
        # Pages for participants only.
        "give-kudos": Entry(
            PARTICIPANT, {**north, "loop": data["l1"], "recipient": data["ana"]}
        ),
        "kudos-sent": Entry(PARTICIPANT, {**north, "key": data["key"]}),
        "notifications:list": Entry(ANY_PARTICIPANT),
        "notifications:read": Entry(ANY_PARTICIPANT_DONE, method="post"),
        "notifications:email": Entry(ANY_PARTICIPANT_DONE, method="post"),
        "my-achievements": Entry(ANY_PARTICIPANT),
        "publish-achievement": Entry(
            PARTICIPANT_DONE, {"award": data["ben_achievement"]}, "post"
        ),
        "withdraw-achievement": Entry(
            PARTICIPANT_DONE, {"award": data["ben_achievement"]}, "post"
        ),
        # Everyone signed in.
        "home": Entry(SIGNED_IN),
        "logout": Entry(dict.fromkeys(ROLES, 302), method="post"),
        "login": Entry(
            {
                **dict.fromkeys(ROLES, 302),
                "anonymous": 200,
                "token": 200,
                "other_token": 200,
            }
        ),
        # Public by design: share pages, Open Badges documents, unsubscribing.
        "notifications:unsubscribe": Entry(PUBLIC, {"token": data["unsubscribe"]}),
        "share-public": Entry(PUBLIC, {"token": data["share"]}),
        "share-preview": Entry(PUBLIC, {"token": data["share"]}),
        "ob-issuer": Entry(PUBLIC, {"slug": "north"}),
        "ob-badge": Entry(PUBLIC, {"slug": "north", "key": data["badge_key"]}),
        "ob-badge-image": Entry(PUBLIC, {"slug": "north", "key": data["badge_key"]}),
        "ob-assertion": Entry(PUBLIC, {"public_id": data["assertion"]}),
        "ob-assertion-image": Entry(PUBLIC, {"public_id": data["assertion"]}),
        "ob-verify": Entry(PUBLIC, {"public_id": data["assertion"]}),
    }


def routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[str]:
    """Name every route: its URL name, or its pattern when it has none."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from routes(
                pattern.url_patterns, prefix + str(pattern.pattern), inner
            )
        elif pattern.name:
            yield namespace + pattern.name
        else:
            yield prefix + str(pattern.pattern)


ALL_ROUTES = sorted(set(routes(get_resolver().url_patterns)))


def test_every_route_has_an_entry() -> None:
    known = set(entries(dict.fromkeys(DATA_KEYS, "1")))
    missing = [name for name in ALL_ROUTES if name not in known]
    stale = sorted(known - set(ALL_ROUTES))

    assert not missing, (
        f"Routes without an access entry: {missing}. Add each to entries() in "
        "tests/security/test_authorization_matrix.py with the status every role "
        "must get."
    )
    assert not stale, f"Entries for routes that no longer exist: {stale}."


DATA_KEYS = (
    "kudos",
    "link",
    "ana",
    "l1",
    "key",
    "ben_achievement",
    "unsubscribe",
    "share",
    "badge_key",
    "assertion",
    "token",
)


@pytest.fixture
def data(cast: Cast) -> dict[str, str]:
    north = cast.north
    ana = Participant.objects.get(program=north, external_id="ana")
    ben = Participant.objects.get(program=north, external_id="ben")
    l1 = Loop.objects.get(program=north, external_id="l1")
    post_events(
        north,
        [
            {
                "id": "ana-address",
                "type": "participant.upserted",
                "occurred_at": at(50),
                "participant": {"id": "ana", "name": "Ana Álvarez", "email": "a@x.org"},
            },
            {
                "id": "ben-address",
                "type": "participant.upserted",
                "occurred_at": at(50),
                "participant": {"id": "ben", "name": "ben Brown", "email": "b@x.org"},
            },
        ],
    )
    key = "a" * 32
    assert give_kudos(north, KudosRequest(l1, ben, ana, "trust", "", key)).status
    achievement = Award.objects.get(recipient=ana, badge="momentum", level=1)
    own = Award.objects.get(recipient=ben, badge="momentum", level=1)
    publish(own)
    return {
        "kudos": str(Award.objects.filter(giver=ben).first().pk),  # type: ignore[union-attr]
        "link": str(ShareLink.objects.create(program=north).pk),
        "ana": str(ana.pk),
        "l1": str(l1.pk),
        "key": key,
        "ben_achievement": str(own.pk),
        "unsubscribe": unsubscribe_token(ben),
        "share": ShareLink.objects.get(program=north).token,
        "badge_key": badge_key("momentum", 1),
        "assertion": publish(achievement).public_id,
        "token": str(ApiToken.issue(north, "Matrix")[0].pk),
    }


def client_for(cast: Cast, role: str) -> Client:
    if role in ("token", "other_token"):
        program = cast.north if role == "token" else cast.south
        raw = ApiToken.issue(program, "Matrix")[1]
        return Client(headers={"Authorization": f"Bearer {raw}"})

    client = Client()
    user: User | None = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


def status_of(client: Client, url: str, entry: Entry) -> int:
    """Ask in a transaction that is rolled back, so each role finds the same data."""
    with transaction.atomic():
        if entry.method == "post" and entry.body is not None:
            body = json.dumps(entry.body)
            response = client.post(url, body, content_type="application/json")
        elif entry.method == "post":
            response = client.post(url)
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return response.status_code


def url_of(name: str, entry: Entry) -> str:
    if "/" in name:
        return f"/{name}nothing-here"
    return reverse(name, kwargs=entry.kwargs)


@pytest.mark.parametrize("name", ALL_ROUTES)
def test_each_role_gets_the_allowed_status(
    name: str, cast: Cast, data: dict[str, str]
) -> None:
    entry = entries(data).get(name)
    assert entry is not None, f"Add an access entry for the route {name!r}."
    url = url_of(name, entry)
    clients = {role: client_for(cast, role) for role in ROLES}

    found = {role: status_of(clients[role], url, entry) for role in ROLES}

    assert found == entry.statuses, url
