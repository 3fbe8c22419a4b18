"""The benchmark runs end to end at a tiny size and checks its own paths."""

import pytest

from bench.run import main


def test_a_tiny_benchmark_prints_a_table_and_every_path_matches_the_oracle(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    main(
        [
            "--sizes",
            "40",
            "--repeat",
            "1",
            "--databases",
            "sqlite",
            "--no-pages",
            "--no-posts",
            "--work",
            str(tmp_path),
        ]
    )

    printed = capsys.readouterr().out
    for measure in (
        "raw insert (limit)",
        "mentorbadges import",
        "mentorbadges recompute",
        "mentorbadges CSV export",
        "mentorbadges API, batches of 500",
        "django-badgify (bulk)",
        "pinax-badges (per event)",
    ):
        assert f"| {measure} |" in printed
    assert "import #1: export equals the oracle's" in printed
    assert "recompute #1: export equals the oracle's" in printed
    assert "api #1: export equals the oracle's" in printed
    assert "badgify: " in printed
    assert "NOT as the oracle" not in printed
    assert "DIFFERS" not in printed
