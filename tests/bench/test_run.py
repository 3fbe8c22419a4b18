"""The benchmark runs end to end at a tiny size and checks its own paths."""

from importlib.util import find_spec

import pytest

from bench.run import main

# The peers come with the bench extra; without it the rest still runs.
PEERS = find_spec("pinax") is not None and find_spec("badgify") is not None


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
            *([] if PEERS else ["--no-peers"]),
        ]
    )

    printed = capsys.readouterr().out
    for measure in (
        "raw insert (limit)",
        "mentorbadges import",
        "mentorbadges recompute",
        "mentorbadges CSV export",
        "mentorbadges API, batches of 500",
        *(("django-badgify (bulk)", "pinax-badges (per event)") if PEERS else ()),
    ):
        assert f"| {measure} |" in printed
    assert "import #1: export equals the oracle's" in printed
    assert "recompute #1: export equals the oracle's" in printed
    assert "api #1: export equals the oracle's" in printed
    if PEERS:
        assert "badgify: " in printed
        assert "pinax: " in printed
    assert "NOT as the oracle" not in printed
    assert "DIFFERS" not in printed
