"""Hostile input, shared by the web, API and file import tests.

Each refused case names the reason it must be refused with; text that is
merely unusual must be stored as given and shown escaped.
"""

import json
from dataclasses import dataclass
from typing import Any

MARKUP = [
    '<script>alert("owned")</script>',
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "{{ request.user }}{% now 'Y' %}",
    "<svg/onload=alert(1)>",
]
FORMULAS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x.test")']
ODD = ["'; DROP TABLE badges_award; --", "\u202eexe.txt", "Zoë 🙂 名前", "\\u0000"]
PRINTABLE = MARKUP + FORMULAS + ODD
CONTROL = ["line\nbreak", "tab\there", "bell\x07", "nul\x00byte", "del\x7f"]
LONG = "x" * 100_000


def instant(day: int = 30) -> str:
    return f"2026-02-{day:02d}T09:00:00Z" if day <= 28 else "2026-03-01T09:00:00Z"


def upsert(event_id: str, **participant: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "participant.upserted",
        "occurred_at": instant(1),
        "participant": {"id": "hostile", "name": "Hostile", **participant},
    }


def kudos(event_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "kudos.given",
        "occurred_at": instant(2),
        "loop": "l1",
        "giver": "ben",
        "recipient": "ana",
        "category": "trust",
        **fields,
    }


def survey(event_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "survey.submitted",
        "occurred_at": instant(2),
        "loop": "l1",
        "survey": "mqs",
        "respondent": "ben",
        "score": 5,
        **fields,
    }


@dataclass(frozen=True)
class Case:
    label: str
    event: dict[str, Any]
    reason: str


def _cases() -> list[Case]:
    cases = [
        Case(f"name with {text!r}", upsert(f"ctl-{n}", name=text), "invalid_field")
        for n, text in enumerate(CONTROL)
    ]
    cases += [
        Case(
            "name of 201 characters",
            upsert("long-name", name="n" * 201),
            "invalid_field",
        ),
        Case(
            "name of 100,000 characters",
            upsert("huge-name", name=LONG),
            "invalid_field",
        ),
        Case("id of 201 characters", upsert("i" * 201), "invalid_field"),
        Case("id holding a NUL", upsert("nul\x00id"), "invalid_field"),
        Case(
            "e-mail that is not one", upsert("bad-mail", email="<b>@"), "invalid_field"
        ),
        Case("participant id as a number", upsert("num-pid", id=7), "invalid_field"),
        Case("event id as a number", {**upsert("x"), "id": 42}, "invalid_field"),
        Case(
            "participant as a list",
            {**upsert("pl"), "participant": []},
            "invalid_field",
        ),
        Case("unknown field", {**upsert("extra"), "admin": True}, "unknown_field"),
        Case(
            "no type",
            {k: v for k, v in upsert("nt").items() if k != "type"},
            "missing_field",
        ),
        Case("markup as a type", {**upsert("mt"), "type": MARKUP[0]}, "unknown_type"),
        Case("type as an object", {**upsert("to"), "type": {"a": 1}}, "unknown_type"),
        Case(
            "time without an offset",
            {**upsert("t1"), "occurred_at": "2026-02-01T09:00:00"},
            "invalid_timestamp",
        ),
        Case(
            "time before 2000",
            {**upsert("t2"), "occurred_at": "1999-12-31T23:59:59Z"},
            "invalid_timestamp",
        ),
        Case(
            "time in 2100",
            {**upsert("t3"), "occurred_at": "2100-01-01T00:00:00Z"},
            "invalid_timestamp",
        ),
        Case(
            "time that is no date",
            {**upsert("t4"), "occurred_at": "2026-13-45T99:00:00Z"},
            "invalid_timestamp",
        ),
        Case(
            "time as a number",
            {**upsert("t5"), "occurred_at": 1767225600},
            "invalid_timestamp",
        ),
        Case(
            "time of 100,000 characters",
            {**upsert("t6"), "occurred_at": LONG},
            "invalid_timestamp",
        ),
        Case("score as text", survey("s1", score="5"), "invalid_field"),
        Case("score out of range", survey("s2", score=6), "invalid_field"),
        Case("score as a float", survey("s3", score=4.5), "invalid_field"),
        Case(
            "passed as text",
            {
                "id": "c1",
                "type": "course.completed",
                "occurred_at": instant(2),
                "participant": "ben",
                "passed": "yes",
            },
            "invalid_field",
        ),
        Case(
            "members as an object",
            {
                "id": "m1",
                "type": "loop.started",
                "occurred_at": instant(2),
                "loop": "lx",
                "kind": "group",
                "members": {"ben": "member"},
            },
            "invalid_field",
        ),
        Case(
            "markup as a kudos category",
            kudos("k1", category=MARKUP[0]),
            "unknown_category",
        ),
        Case(
            "feedback of 1,001 characters",
            kudos("k2", feedback="f" * 1001),
            "feedback_too_long",
        ),
        Case(
            "feedback of 100,000 characters",
            kudos("k3", feedback=LONG),
            "feedback_too_long",
        ),
        Case("feedback holding a NUL", kudos("k4", feedback="a\x00b"), "invalid_field"),
        Case("feedback as a list", kudos("k5", feedback=["a"]), "invalid_field"),
        Case("kudos to oneself", kudos("k6", recipient="ben"), "self_kudos"),
        Case("an unknown loop", kudos("k7", loop=MARKUP[1]), "unknown_loop"),
        Case("an unknown giver", kudos("k8", giver=FORMULAS[0]), "unknown_participant"),
    ]
    return cases


EVENTS = _cases()

# Lines that are not JSON objects, refused before any field is read.
DEEP = '{"a":' * 50_000 + "1" + "}" * 50_000
RAW_LINES: list[tuple[str, bytes, str]] = [
    (
        "a repeated key",
        b'{"id": "dup", "id": "dup2", "type": "loop.closed"}',
        "invalid_json",
    ),
    ("JSON nested 50,000 deep", DEEP.encode(), "invalid_json"),
    ("cut-off JSON", b'{"id": "cut", "type": "loop.cl', "invalid_json"),
    ("a raw NUL byte", b'{"id": "n\x00ul", "type": "loop.closed"}', "invalid_json"),
    ("a list", b"[1, 2, 3]", "invalid_event"),
    ("a bare string", b'"<script>alert(1)</script>"', "invalid_event"),
    ("null", b"null", "invalid_event"),
    ("plain text", b"=cmd|' /C calc'!A0", "invalid_json"),
]
# Refused by the file reader only: the API cannot receive invalid UTF-8 as JSON.
FILE_ONLY: list[tuple[str, bytes, str]] = [
    ("invalid UTF-8", b'{"id": "\xff\xfe", "type": "loop.closed"}', "invalid_encoding"),
    ("a lone surrogate byte run", b"\xed\xa0\x80", "invalid_encoding"),
]


def line(event: dict[str, Any]) -> bytes:
    return json.dumps(event).encode()
