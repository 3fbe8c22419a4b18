from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from mentorbadges.api.api import api
from mentorbadges.api.errors import NotFound, Problem, problem_response

View = Callable[..., HttpResponse]


def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(NotFound("There is nothing at this address in the API."))


def _problem_405(view: View) -> View:
    """Answer a method the address does not take as a problem too."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response

        allowed = response.get("Allow", "")
        problem = Problem(
            405,
            "method_not_allowed",
            f"This address does not take {request.method}; it takes {allowed}.",
            {"Allow": allowed},
        )
        return problem_response(problem)

    return wrapper


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = URLPattern(
                pattern.pattern,
                _problem_405(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        wrapped.append(pattern)
    return [path("", (wrapped, app_name, namespace))]


urlpatterns: list[URLPattern | URLResolver] = [*_patterns(), re_path(r"", not_found)]
