"""Run the Open Badges validator on one badge and print its report as JSON.

Runs inside the validator's own environment (scripts/openbadges-validator):
``python validate_badge.py TARGET LOCAL_URL [EMAIL]``, where TARGET is an
assertion URL or a baked PNG file, and LOCAL_URL the server under test. The
JSON-LD context the validator needs is served from its own bundled copy, so
nothing leaves the machine.
"""

import json
import sys

import responses
from openbadges.verifier import verify  # type: ignore[import-not-found]
from openbadges.verifier.openbadges_context import (  # type: ignore[import-not-found]
    OPENBADGES_CONTEXT_V2_DICT,
    OPENBADGES_CONTEXT_V2_URI,
)


def main() -> None:
    target, local = sys.argv[1], sys.argv[2]
    profile = {"email": sys.argv[3]} if len(sys.argv) > 3 else None

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(local)
        mock.add(
            responses.GET, OPENBADGES_CONTEXT_V2_URI, json=OPENBADGES_CONTEXT_V2_DICT
        )
        options = {"use_cache": False, "cache_backend": None}
        if target.startswith("http"):
            result = verify(target, recipient_profile=profile, **options)
        else:
            with open(target, "rb") as image:
                result = verify(image, recipient_profile=profile, **options)

    print(json.dumps({"report": result["report"], "graph": result["graph"]}))


if __name__ == "__main__":
    main()
