from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from mentorbadges.api.api import api
from mentorbadges.api.errors import NotFound, problem_response


def not_found(request: HttpRequest) -> HttpResponse:
    return problem_response(NotFound("There is nothing at this address in the API."))


urlpatterns: list[URLPattern | URLResolver] = [
    path("", api.urls),
    re_path(r"", not_found),
]
