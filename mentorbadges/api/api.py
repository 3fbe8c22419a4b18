"""The API application: authentication, errors and the published description."""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from mentorbadges.api import errors
from mentorbadges.api.auth import TokenAuth
from mentorbadges.api.parser import StrictJsonParser
from mentorbadges.api.reads import router as reads
from mentorbadges.api.v1 import router as v1

DESCRIPTION = """\
Mentoring platforms send activity events and read badges here.

Every request carries a program's token as `Authorization: Bearer <token>`; a
token reaches its own program only. Errors are `application/problem+json` with
a stable `type` and `code`, the `status` and one readable `detail` sentence.
Each token may make a limited number of requests a minute; beyond it the
answer is 429 with `Retry-After`.
"""


class MentorbadgesApi(NinjaAPI):
    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        _problems_as_problem_json(schema)
        return schema


def _problems_as_problem_json(schema: OpenAPISchema) -> None:
    """Describe error bodies with the media type they are sent with."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content[errors.PROBLEM_TYPE] = content.pop("application/json")


api = MentorbadgesApi(
    title="mentorbadges API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    parser=StrictJsonParser(),
    urls_namespace="api",
    docs_url="/docs",
)
errors.install(api)
api.add_router("/v1/", v1)
api.add_router("/v1/", reads)
