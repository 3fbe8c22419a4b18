"""A server error is told to the visitor plainly and to the operator in full."""

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handlers write, caught in memory."""
    caught = io.StringIO()
    handlers = {
        handler
        for name in ("django.request", "mentorbadges")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, logging.StreamHandler)
    }
    assert handlers
    streams = {handler: handler.setStream(caught) for handler in handlers}
    yield caught
    for handler, stream in streams.items():
        handler.setStream(stream)


@override_settings(ROOT_URLCONF="tests.web.failing_urls")
def test_a_server_error_logs_its_traceback_and_shows_the_error_page(
    db: None, console: io.StringIO
) -> None:
    response = Client(raise_request_exception=False).get("/fail/")

    assert response.status_code == 500
    assert "the page broke on purpose" not in response.content.decode()
    logged = console.getvalue()
    assert "Internal Server Error: /fail/" in logged
    assert "RuntimeError: the page broke on purpose" in logged


def test_a_refused_request_is_answered_without_a_log_line(
    db: None, console: io.StringIO
) -> None:
    assert Client().get("/no/such/page/").status_code == 404

    assert console.getvalue() == ""
