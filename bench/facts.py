"""What the oracle derives from a file: its CSV, and the facts peers award from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from bench import oracle


@dataclass
class Expected:
    export_sha256: str
    export_rows: int
    peer_awards: int
    facts: list[tuple[str, str, str, str]]


def expected(lines: Iterable[str]) -> Expected:
    """Return the oracle's CSV digest and the Momentum/Excellence inputs.

    A fact is (kind, participant, loop, instant): a meeting attended, or a
    top rating given by another member, in the history as finally recorded.
    """
    ledger = oracle.record(lines)
    csv = oracle.export(ledger)
    responses: dict[str, list[tuple[str, oracle.Response]]] = {}
    for response_id, response in ledger.responses.items():
        responses.setdefault(response.loop, []).append((response_id, response))

    facts: list[tuple[str, str, str, str]] = []
    for loop_id, loop in ledger.loops.items():
        meetings = oracle.current_meetings(loop)
        fives = []
        for _, response in responses.get(loop_id, []):
            if response.survey != "mqs":
                continue
            since = oracle.final_run_start(response.versions, oracle.scores_five)
            if since is not None:
                fives.append((since, response.respondent))
        for person in oracle.ever_members(loop):
            facts.extend(
                ("meeting", person, loop_id, meeting.at.isoformat())
                for meeting in meetings
                if person in meeting.attendees
            )
            facts.extend(
                ("top", person, loop_id, since.isoformat())
                for since, respondent in fives
                if respondent != person and person in oracle.members_at(loop, since)
            )
    facts.sort(key=lambda fact: fact[3])
    peer_awards = sum(
        1
        for award in oracle.all_awards(ledger)
        if award.badge in ("momentum", "excellence")
    )
    return Expected(
        export_sha256=hashlib.sha256(csv).hexdigest(),
        export_rows=csv.count(b"\r\n") - 1,
        peer_awards=peer_awards,
        facts=facts,
    )
