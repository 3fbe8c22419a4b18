from mentorbadges.lib.text import counted


def test_a_count_agrees_with_its_noun() -> None:
    assert counted(0, "award") == "0 awards"
    assert counted(1, "award") == "1 award"
    assert counted(2, "refused event") == "2 refused events"
    assert counted(1, "person", "people") == "1 person"
    assert counted(3, "person", "people") == "3 people"
