"""Request bodies read as strictly as event files: a repeated key is an error."""

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser

from mentorbadges.activity import events as ev
from mentorbadges.api.errors import EMPTY_BODY


class StrictJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # A repeated key would otherwise keep its last value without a word,
        # so the caller and the service could read one event differently.
        text = request.body.decode("utf-8")
        if not text.strip():
            raise ev.Refusal("invalid_json", EMPTY_BODY)
        return cast(dict[str, Any], ev.parse_json(text))
