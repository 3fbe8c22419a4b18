from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mentorbadges.programs.models import Program
from mentorbadges.wsgi import application
from tests.conftest import import_events
from tests.history import History


def test_the_openapi_document_is_published(db: None) -> None:
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert set(paths) == {
        "/api/v1/programs/{program}/events",
        "/api/v1/programs/{program}/kudos",
        "/api/v1/programs/{program}/badges",
        "/api/v1/programs/{program}/badges.csv",
        "/api/v1/programs/{program}/kudos/summary",
        "/api/v1/programs/{program}/health",
        "/api/v1/programs/{program}/participants/{participant}/badges",
    }
    events = paths["/api/v1/programs/{program}/events"]["post"]
    assert "application/problem+json" in events["responses"]["401"]["content"]
    batch = document["components"]["schemas"]["EventBatch"]
    assert batch["examples"][0]["events"][0]["type"] == "meeting.completed"
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_rendered_docs_are_served(db: None) -> None:
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content


# A request the schema allows may still be refused (a cursor this server
# never gave out): what must hold is no server error and answers as described.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Keep the test's transaction open across requests, as Django's test
    client does: the WSGI handler would otherwise close it after each one."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded(program: Program, history: History) -> None:
    history.person("ana")
    history.person("ben")
    history.pair("l1", "ana", "ben")
    for day in range(2, 8):
        history.meeting("l1", f"m{day}", day)
    history.kudos("l1", "ben", "ana", 9, "trust", "Thanks")
    import_events(program, history.events)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@override_settings(API_RATE_LIMIT=1_000_000)
def test_generated_requests_get_no_server_error_and_answers_match_the_schema(
    seeded: None, token: str, mode: GenerationMode, connection_kept: None
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    headers = {"Authorization": f"Bearer {token}"}

    for result in schema.get_all_operations():
        assert isinstance(result, Ok)
        operation = result.ok()
        strategy = operation.as_strategy(mode)
        named = operation.as_strategy(mode, path_parameters={"program": "north"})

        @given(case=strategy | named)
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, headers=headers, checks=CHECKS)

        check()
