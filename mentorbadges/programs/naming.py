"""How a participant's loops are named to them: by kind and by the partners in
them, never by the id the mentoring platform gave the loop."""

from collections.abc import Iterable

from mentorbadges.programs.models import Loop, Membership, Participant

# Partners named in a group loop before the rest are counted.
NAMED_IN_GROUP = 2


def loop_name(kind: str, partners: list[str]) -> str:
    """Name a loop for one of its members, given the other members' names."""
    if kind != Loop.GROUP:
        if not partners:
            return "your one-to-one loop"
        return f"your one-to-one loop with {_listed(partners)}"
    if not partners:
        return "your group loop"
    firsts = [_first_name(name) for name in partners]
    if len(firsts) <= NAMED_IN_GROUP + 1:
        return f"your group loop with {_listed(firsts)}"
    rest = len(firsts) - NAMED_IN_GROUP
    shown = ", ".join(firsts[:NAMED_IN_GROUP])
    return f"your group loop with {shown} and {rest} others"


def loop_names(participant: Participant, loops: Iterable[Loop]) -> dict[int, str]:
    """Name each loop for the participant, with its current other members."""
    kinds = {loop.pk: loop.kind for loop in loops}
    partners: dict[int, list[str]] = {pk: [] for pk in kinds}
    others = (
        Membership.objects.filter(loop_id__in=list(kinds), left_at__isnull=True)
        .exclude(participant=participant)
        .order_by("participant__sort_name", "participant_id")
        .values_list("loop_id", "participant_id", "participant__name")
        .distinct()
    )
    for loop_pk, _, name in others:
        partners[loop_pk].append(name)
    return {pk: loop_name(kind, partners[pk]) for pk, kind in kinds.items()}


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"
