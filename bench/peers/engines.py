"""Momentum and Excellence written the way each peer expects badges to be written.

The peers know users, not participants in loops, so each enrolment (one
participant in one loop) is a user: Momentum and Excellence count per loop.
"""

from typing import Any

from badgify.recipe import BaseRecipe
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from pinax.badges.base import Badge, BadgeAwarded

from bench.peers.models import MEETING, TOP_RATING, Activity

THRESHOLDS = {MEETING: (5, 10, 15), TOP_RATING: (3, 6, 9)}
SLUGS = {MEETING: "momentum", TOP_RATING: "excellence"}


def level_for(count: int, kind: str) -> int:
    return sum(1 for threshold in THRESHOLDS[kind] if count >= threshold)


class _PinaxBadge(Badge):  # type: ignore[misc]
    kind = ""
    multiple = False
    levels = ["Bronze", "Silver", "Gold"]

    def award(self, **state: Any) -> BadgeAwarded | None:
        user = state["user"]
        count = Activity.objects.filter(user=user, kind=self.kind).count()
        level = level_for(count, self.kind)
        return BadgeAwarded(level=level) if level else None


class PinaxMomentum(_PinaxBadge):
    slug = "momentum"
    kind = MEETING
    events = ["meeting"]


class PinaxExcellence(_PinaxBadge):
    slug = "excellence"
    kind = TOP_RATING
    events = ["top"]


def badgify_recipes() -> list[type[BaseRecipe]]:
    """One recipe per badge level: badgify awards a badge to a user once."""
    recipes = []
    for kind, slug in SLUGS.items():
        for level, threshold in enumerate(THRESHOLDS[kind], start=1):
            recipes.append(_recipe(kind, f"{slug}-{level}", threshold))
    return recipes


def _recipe(kind: str, slug: str, threshold: int) -> type[BaseRecipe]:
    class Recipe(BaseRecipe):  # type: ignore[misc]
        name = slug
        image = "badge.png"

        @property
        def user_ids(self) -> QuerySet[User]:
            return (
                User.objects.annotate(
                    n=Count("activity", filter=Q(activity__kind=kind))
                )
                .filter(n__gte=threshold)
                .values_list("id", flat=True)
            )

    Recipe.slug = slug
    Recipe.__name__ = f"Recipe_{slug.replace('-', '_')}"
    return Recipe
