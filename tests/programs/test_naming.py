from mentorbadges.programs.naming import loop_name


def test_a_one_to_one_loop_is_named_by_the_partners_full_name() -> None:
    assert loop_name("one_to_one", ["Ana Álvarez"]) == (
        "your one-to-one loop with Ana Álvarez"
    )


def test_a_group_loop_names_up_to_three_partners_by_first_name() -> None:
    assert loop_name("group", ["Ana Álvarez", "Ben Brown", "Cleo Chen"]) == (
        "your group loop with Ana, Ben and Cleo"
    )


def test_a_larger_group_loop_names_two_partners_and_counts_the_others() -> None:
    partners = ["Ana Álvarez", "Ben Brown", "Cleo Chen", "Dan Diaz"]

    assert loop_name("group", partners) == "your group loop with Ana, Ben and 2 others"


def test_a_loop_without_partners_is_named_by_its_kind_alone() -> None:
    assert loop_name("group", []) == "your group loop"
    assert loop_name("one_to_one", []) == "your one-to-one loop"
