"""Request bodies read as strictly as event files: a repeated key is an error."""

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from mentorbadges.activity import events as ev


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # A repeated key would otherwise keep its last value without a word,
        # so the caller and the service could read one event differently.
        return cast(dict[str, Any], ev.parse_json(request.body.decode("utf-8")))
