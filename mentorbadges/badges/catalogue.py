"""The fixed catalogue of badges: stable codes, names, kinds and levels."""

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    NONE = 0
    BRONZE = 1
    SILVER = 2
    GOLD = 3

    @property
    def label(self) -> str:
        return "" if self is Level.NONE else self.name.capitalize()


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    is_kudos: bool
    per_loop: bool
    description: str
    thresholds: tuple[int, ...] = ()

    @property
    def kind_label(self) -> str:
        return "Kudos" if self.is_kudos else "Achievement"

    @property
    def levelled(self) -> bool:
        return bool(self.thresholds)


KUDOS = (
    Badge(
        "trust",
        "Trust",
        True,
        True,
        "Building safe, trusted, empathetic relationships.",
    ),
    Badge(
        "networking",
        "Networking",
        True,
        True,
        "Connecting people, resources and opportunities.",
    ),
    Badge("expertise", "Expertise", True, True, "Sharing knowledge with impact."),
    Badge(
        "commitment",
        "Commitment",
        True,
        True,
        "Consistently showing up and following through.",
    ),
    Badge(
        "creativity", "Creativity", True, True, "Sparking new ideas and perspectives."
    ),
)

EXCELLENCE = Badge(
    "excellence",
    "Excellence",
    False,
    True,
    "Rated 5 out of 5 by loop partners in the quality survey.",
    (3, 6, 9),
)
MOMENTUM = Badge(
    "momentum", "Momentum", False, True, "Completed meetings in a loop.", (5, 10, 15)
)
GROWING_TOGETHER = Badge(
    "growing_together",
    "Growing Together",
    False,
    True,
    "A first meeting and a post-meeting survey.",
)
CERTIFIED = Badge(
    "certified", "Certified", False, False, "Passed the participant course."
)
CHAMPION = Badge(
    "champion",
    "Champion",
    False,
    True,
    "Every milestone of a loop reached, and certified.",
)

ACHIEVEMENTS = (EXCELLENCE, MOMENTUM, GROWING_TOGETHER, CERTIFIED, CHAMPION)
CATALOGUE: dict[str, Badge] = {badge.code: badge for badge in KUDOS + ACHIEVEMENTS}
KUDOS_CODES = frozenset(badge.code for badge in KUDOS)
