"""The export equals an independent re-computation of the rules, byte for byte."""

import random

import pytest

from bench.oracle import expected_csv
from mentorbadges.activity.services import import_lines
from mentorbadges.demo.generator import generate, to_json_lines
from mentorbadges.programs.models import Program
from mentorbadges.reports.csv import export_csv


@pytest.mark.parametrize(
    ("people", "seed", "zone", "invalid"),
    [(120, 1, "UTC", 0.0), (90, 2, "Europe/Paris", 0.0), (90, 3, "Asia/Kolkata", 0.05)],
)
def test_a_generated_year_exports_exactly_what_the_oracle_computes(
    db: None, people: int, seed: int, zone: str, invalid: float
) -> None:
    lines = to_json_lines(generate(people, months=12, seed=seed, invalid_rate=invalid))
    random.Random(seed).shuffle(lines)
    program = Program.objects.create(slug="gen", name="Generated", time_zone=zone)

    import_lines(program, lines)

    expected = expected_csv((line.decode() for line in lines), tz=zone)
    assert b"".join(export_csv(program)) == expected
    assert expected.count(b"\r\n") > people
