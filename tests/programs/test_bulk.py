"""Plain-row inserts give every row its own key and store values as the ORM would."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import transaction

from mentorbadges.lib.bulk import insert_instances, insert_rows
from mentorbadges.programs.models import Participant, Program

COLUMNS = ("program", "external_id", "name", "sort_name", "email", "named_at", "active")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def rows(program: Program, count: int, start: int = 0) -> list[tuple[object, ...]]:
    zone = timezone(timedelta(hours=-5))
    return [
        (
            program.pk,
            f"p{i}",
            f"Person 'Quoted', \t{i}\n",
            f"person {i}",
            "",
            datetime(2026, 3, 1, 12, 30, 15, i, tzinfo=zone),
            True,
        )
        for i in range(start, start + count)
    ]


def test_the_keys_returned_are_those_of_the_rows_in_their_order(
    program: Program,
) -> None:
    with transaction.atomic():
        Participant.objects.create(
            program=program, external_id="first", name="F", named_at=NOW
        )
        ids = insert_rows(Participant, COLUMNS, rows(program, 12_001))
        more = insert_rows(Participant, COLUMNS, rows(program, 3, start=20_000))

    stored = dict(Participant.objects.values_list("pk", "external_id"))
    assert [stored[pk] for pk in ids] == [f"p{i}" for i in range(12_001)]
    assert [stored[pk] for pk in more] == ["p20000", "p20001", "p20002"]
    assert len(set(ids) | set(more)) == 12_004


def test_values_read_back_as_the_orm_would_store_them(program: Program) -> None:
    with transaction.atomic():
        (pk,) = insert_rows(Participant, COLUMNS, rows(program, 1, start=7))

    person = Participant.objects.get(pk=pk)
    assert person.name == "Person 'Quoted', \t7\n"
    assert person.named_at == datetime(2026, 3, 1, 17, 30, 15, 7, tzinfo=UTC)
    assert Participant.objects.filter(named_at=person.named_at).count() == 1


def test_an_empty_list_inserts_nothing(program: Program) -> None:
    assert insert_rows(Participant, COLUMNS, []) == []
    assert not Participant.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_instances_are_saved_with_their_keys(program: Program, count: int) -> None:
    people = [
        Participant(program=program, external_id=f"i{i}", name=f"I {i}", named_at=NOW)
        for i in range(count)
    ]
    with transaction.atomic():
        insert_instances(Participant, people)

    assert all(not person._state.adding for person in people)
    for person in people:
        assert Participant.objects.get(pk=person.pk).external_id == person.external_id
