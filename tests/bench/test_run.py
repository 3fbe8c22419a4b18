"""The benchmark runs end to end at a tiny size and checks its own paths."""

from pathlib import Path

import pytest

from bench.run import main


def test_a_tiny_benchmark_prints_a_table_and_every_path_matches_the_oracle(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The peers and the served pages take minutes; the full run covers them.
    main(
        [
            "--sizes",
            "30",
            "--repeat",
            "1",
            "--databases",
            "sqlite",
            "--no-peers",
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
    ):
        assert f"| {measure} |" in printed
    assert "import #1: export equals the oracle's" in printed
    assert "recompute #1: export equals the oracle's" in printed
    assert "api #1: export equals the oracle's" in printed
    assert "DIFFERS" not in printed
    assert (tmp_path / "results.json").exists()
