"""A site whose one page fails, to see what a server error leaves behind."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the page broke on purpose")


urlpatterns = [path("fail/", fail)]
