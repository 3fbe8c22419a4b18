from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from mentorbadges.reports.zones import Offset, offsets


def test_a_zone_without_changes_has_one_offset() -> None:
    found = offsets(
        ZoneInfo("UTC"),
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    )

    assert found == [Offset(None, 0, "+00:00")]


def test_each_change_of_offset_is_found_to_the_second() -> None:
    found = offsets(
        ZoneInfo("Europe/Paris"),
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2025, 1, 1, tzinfo=UTC),
    )

    assert found == [
        Offset(None, 3600, "+01:00"),
        Offset(datetime(2024, 3, 31, 1, tzinfo=UTC), 7200, "+02:00"),
        Offset(datetime(2024, 10, 27, 1, tzinfo=UTC), 3600, "+01:00"),
    ]


def test_offsets_are_written_as_isoformat_writes_them() -> None:
    kolkata = offsets(
        ZoneInfo("Asia/Kolkata"),
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 2, 1, tzinfo=UTC),
    )
    amsterdam = offsets(
        ZoneInfo("Europe/Amsterdam"),
        datetime(1937, 6, 1, tzinfo=UTC),
        datetime(1937, 6, 2, tzinfo=UTC),
    )
    st_johns = offsets(
        ZoneInfo("America/St_Johns"),
        datetime(2024, 12, 1, tzinfo=UTC),
        datetime(2024, 12, 2, tzinfo=UTC),
    )

    assert [o.text for o in kolkata + amsterdam + st_johns] == [
        "+05:30",
        "+01:19:32",
        "-03:30",
    ]
