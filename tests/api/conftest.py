import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from mentorbadges.api.models import ApiToken
from mentorbadges.programs.models import Program


class Api:
    """A test client that speaks to the API with one token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, data: object) -> Any:
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.post(
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers=self.headers,
        )


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def token(program: Program) -> str:
    return ApiToken.issue(program, "Platform")[1]


@pytest.fixture
def api(token: str) -> Api:
    return Api(token)


@pytest.fixture
def other_api(other_program: Program) -> Api:
    return Api(ApiToken.issue(other_program, "Elsewhere")[1])
