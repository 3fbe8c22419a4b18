"""Every API error as application/problem+json: a stable type, a status, a sentence.

This is the one place where exceptions become error responses.
"""

import json
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mentorbadges.activity.events import Refusal

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    "invalid_json": "Invalid JSON",
    "invalid_request": "Invalid request",
    "unauthorized": "Unauthorized",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "too_large": "Request too large",
    "rate_limited": "Too many requests",
    "bad_request": "Bad request",
}


class Problem(Exception):
    """An error the API answers with, named by a stable code."""

    def __init__(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


class NotFound(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(404, "not_found", detail)


class RateLimited(Problem):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            "rate_limited",
            f"This token made too many requests; try again in {retry_after} seconds.",
            {"Retry-After": str(retry_after)},
        )


def problem_type(code: str) -> str:
    return f"/api/problems/{code}"


def problem_response(problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": problem_type(problem.code),
        "code": problem.code,
        "title": TITLES.get(problem.code, problem.code.replace("_", " ").capitalize()),
        "status": problem.status,
        "detail": problem.detail,
    }
    response = HttpResponse(
        json.dumps(body), status=problem.status, content_type=PROBLEM_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


EMPTY_BODY = "The request body is empty; send a JSON object."


def _where(location: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if parts[:1] == ["body"]:
        # The body is read into one named parameter the caller never sees.
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_detail(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {}
    where = _where(first.get("loc", ()))
    kind = first.get("type", "")
    if kind == "missing":
        return f"The field '{where}' is required."
    if kind == "extra_forbidden":
        return f"The field '{where}' is not accepted here."
    if where == "events" and kind in ("too_short", "too_long"):
        return "The field 'events' must hold from 1 to 1,000 events."
    message = str(first.get("msg", "is not valid")).rstrip(".")
    return f"The field '{where}' is not valid: {message}."


def _problem_for(exc: object) -> Problem:
    """Name the problem each exception the API can raise stands for."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, ValidationError):
        if [(_where(e.get("loc", ())), e.get("type")) for e in exc.errors] == [
            ("body", "missing")
        ]:
            # Nothing was sent to read the fields from.
            return Problem(400, "invalid_json", EMPTY_BODY)
        return Problem(422, "invalid_request", _validation_detail(exc.errors))
    if isinstance(exc, AuthenticationError):
        return Problem(
            401,
            "unauthorized",
            "Send a valid API token as 'Authorization: Bearer <token>'.",
            {"WWW-Authenticate": 'Bearer realm="mentorbadges"'},
        )
    if isinstance(exc, HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse"):
            cause = exc.__cause__
            detail = (
                cause.detail
                if isinstance(cause, Refusal)
                else "The request body is not valid JSON."
            )
            return Problem(400, "invalid_json", detail)
        return Problem(exc.status_code, "bad_request", str(exc))
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return Problem(
            413,
            "too_large",
            f"The request body is larger than this server accepts "
            f"({limit / 1_048_576:.1f} MB); send fewer events a request.",
        )
    raise TypeError(f"No problem is defined for {exc!r}.")


def _on_error(request: HttpRequest, exc: object) -> HttpResponse:
    return problem_response(_problem_for(exc))


def install(api: NinjaAPI) -> None:
    """Make every error the API can raise answer as a problem."""
    for kind in (
        Problem,
        ValidationError,
        AuthenticationError,
        HttpError,
        RequestDataTooBig,
    ):
        api.add_exception_handler(kind, _on_error)
