"""Grant, revoke and re-date achievement awards to match what history earns."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone

from mentorbadges.activity.ledger import Ledger
from mentorbadges.badges.catalogue import CATALOGUE, CERTIFIED, KUDOS_CODES, Level
from mentorbadges.badges.models import Award, AwardChange
from mentorbadges.badges.rules import certified_at, derive_loop_awards
from mentorbadges.lib.bulk import insert_instances, update_instances
from mentorbadges.programs.models import Loop, Participant, Program


# Settling after each event names the same awards again and again.
@lru_cache(maxsize=1 << 16)
def achievement_key(badge: str, level: int, loop: str | None, recipient: str) -> str:
    return json.dumps(["a", badge, level, loop or "", recipient], ensure_ascii=False)


def kudos_key(event_id: str) -> str:
    return json.dumps(["k", event_id], ensure_ascii=False)


@dataclass
class Settlement:
    granted: list[Award] = field(default_factory=list)
    revoked: list[Award] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.granted or self.revoked)


class _Due(NamedTuple):
    recipient: Participant
    loop: Loop | None
    badge: str
    level: int
    at: datetime


class AwardBook:
    """The achievement awards in play, and the writes that will bring them in line."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.complete = False
        self.by_loop: dict[str, dict[str, Award]] = {}
        self.certified: dict[str, Award | None] = {}
        self._create: list[Award] = []
        self._update: dict[int, Award] = {}
        self._changes: list[AwardChange] = []
        self.granted: list[Award] = []
        self.revoked: list[Award] = []

    def load_all(self, ledger: Ledger) -> None:
        loops = {
            entry.row.pk: key
            for key, entry in ledger.loops.items()
            if entry is not None
        }
        people = {
            person.row.pk: key
            for key, person in ledger.people.items()
            if person is not None
        }
        for key in loops.values():
            self.by_loop[key] = {}
        for key in people.values():
            self.certified[key] = None
        achievements = Award.objects.filter(program=self.program).exclude(
            badge__in=KUDOS_CODES
        )
        for award in achievements.iterator(chunk_size=5000):
            loop = loops.get(award.loop_id) if award.loop_id else None
            self._place(award, loop, people[award.recipient_id])
        self.complete = True

    def _place(self, award: Award, loop: str | None, recipient: str) -> None:
        if loop is None:
            self.certified[recipient] = award
        else:
            self.by_loop.setdefault(loop, {})[award.stable_key] = award

    def load_some(
        self, ledger: Ledger, loops: Iterable[Loop], people: Iterable[Participant]
    ) -> None:
        """Load the achievements of these loops and people not loaded yet."""
        if self.complete:
            return

        new_loops = {
            row.pk: row
            for row in loops
            if row.external_id not in self.by_loop and row.pk is not None
        }
        new_people = {
            row.pk: row
            for row in people
            if row.external_id not in self.certified and row.pk is not None
        }
        for loop in new_loops.values():
            self.by_loop[loop.external_id] = {}
        for person in new_people.values():
            self.certified[person.external_id] = None
        if new_loops:
            # Awards hold the ledger's own rows, so that a person renamed
            # later is named the same way in every answer.
            rows = {p.row.pk: p.row for p in ledger.people.values() if p is not None}
            awards = Award.objects.filter(loop_id__in=new_loops).exclude(
                badge__in=KUDOS_CODES
            )
            for award in awards.select_related("recipient"):
                assert award.loop_id is not None
                award.recipient = rows.get(award.recipient_id, award.recipient)
                award.loop = loop = new_loops[award.loop_id]
                self._place(award, loop.external_id, award.recipient.external_id)
        if new_people:
            awards = Award.objects.filter(
                recipient_id__in=new_people, badge=CERTIFIED.code
            )
            for award in awards:
                award.recipient = person = new_people[award.recipient_id]
                self._place(award, None, person.external_id)

    def start_over(self, program: Program) -> None:
        """Begin another transaction's changes on the awards held from the last."""
        assert not (self._create or self._update or self._changes)
        self.program = program
        self.granted, self.revoked = [], []

    def settle(self, ledger: Ledger, loops: set[str], people: set[str]) -> Settlement:
        """Bring the awards of these loops and people in line with their history."""
        people = set(people)
        loop_ids = set(loops)
        for person_id in people:
            person = ledger.person(person_id)
            if person is not None:
                loop_ids |= person.loops
        entries = [e for key in loop_ids if (e := ledger.loop(key)) is not None]
        everyone = set(people)
        for entry in entries:
            everyone |= entry.history.ever_members()
        if not ledger.complete:
            ledger.load_people(everyone)
        persons = {p: ledger.people[p] for p in everyone if ledger.people.get(p)}
        certified = {
            p: at
            for p, person in persons.items()
            if person is not None and (at := certified_at(person.courses))
        }

        due: dict[str, _Due] = {}
        for entry in entries:
            for (who, badge, level), at in derive_loop_awards(
                entry.history, certified
            ).items():
                recipient = persons[who]
                assert recipient is not None
                key = achievement_key(badge, level, entry.row.external_id, who)
                due[key] = _Due(recipient.row, entry.row, badge, level, at)
        for who in people:
            if who in certified and (person := persons.get(who)) is not None:
                key = achievement_key(CERTIFIED.code, 0, None, who)
                due[key] = _Due(person.row, None, CERTIFIED.code, 0, certified[who])

        self.load_some(
            ledger,
            (entry.row for entry in entries),
            (p.row for who, p in persons.items() if who in people and p),
        )
        held: dict[str, Award] = {}
        for entry in entries:
            held.update(self.by_loop.setdefault(entry.row.external_id, {}))
        for who in people:
            if (award := self.certified.get(who)) is not None:
                held[award.stable_key] = award
        return self._reconcile(due, held)

    def _reconcile(self, due: dict[str, _Due], held: dict[str, Award]) -> Settlement:
        now = timezone.now()
        settlement = Settlement()
        for key, item in due.items():
            award = held.pop(key, None)
            if award is None:
                award = Award(
                    program=self.program,
                    stable_key=key,
                    badge=item.badge,
                    level=item.level,
                    recipient=item.recipient,
                    loop=item.loop,
                    awarded_at=item.at,
                )
                self._create.append(award)
                self._place(
                    award,
                    item.loop.external_id if item.loop else None,
                    item.recipient.external_id,
                )
                settlement.granted.append(award)
            elif award.revoked_at is not None:
                award.revoked_at = None
                award.revoked_reason = ""
                award.awarded_at = item.at
                self._touch(award)
                self._log(award, AwardChange.REINSTATED, "Earned again.")
                settlement.granted.append(award)
            elif award.awarded_at != item.at:
                award.awarded_at = item.at
                self._touch(award)

        for award in held.values():
            if award.revoked_at is None:
                name = f"{CATALOGUE[award.badge].name} {Level(award.level).label}"
                award.revoked_at = now
                award.revoked_reason = (
                    f"{name.strip()} is no longer earned after a correction."
                )
                self._touch(award)
                self._log(award, AwardChange.REVOKED, award.revoked_reason)
                settlement.revoked.append(award)
        self.granted.extend(settlement.granted)
        self.revoked.extend(settlement.revoked)
        return settlement

    def _touch(self, award: Award) -> None:
        self._update[id(award)] = award

    def _log(self, award: Award, action: str, reason: str) -> None:
        self._changes.append(
            AwardChange(program=self.program, award=award, action=action, reason=reason)
        )

    def flush(self) -> None:
        insert_instances(Award, self._create)
        updates = [award for award in self._update.values() if award.pk is not None]
        update_instances(Award, updates, ["awarded_at", "revoked_at", "revoked_reason"])
        AwardChange.objects.bulk_create(self._changes, batch_size=1000)
        self._create, self._update, self._changes = [], {}, []
