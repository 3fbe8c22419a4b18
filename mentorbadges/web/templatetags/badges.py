"""Badge icons as inline SVG: one shape language for all ten badges.

Kudos are round medals in their category's colour with the count overlaid;
achievements are hexagons whose rim and pips show the level reached.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from mentorbadges.badges.catalogue import CATALOGUE, Level

register = template.Library()

# Glyphs drawn on a 24-unit grid, stroked, so they stay crisp at any size.
GLYPHS = {
    "trust": "M12 19.5s-7-4.3-7-9.3A3.6 3.6 0 0 1 12 8a3.6 3.6 0 0 1 7 2.2"
    "c0 5-7 9.3-7 9.3z",
    "networking": "M12 6.5v5M12 11.5l-5.5 5M12 11.5l5.5 5M12 4a2.5 2.5 0 1 0 0 5"
    "a2.5 2.5 0 0 0 0-5zM6 15a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM18 15a2.5 2.5 0 "
    "1 0 0 5 2.5 2.5 0 0 0 0-5z",
    "expertise": "M4 6h5.5A2.5 2.5 0 0 1 12 8.5V19a2 2 0 0 0-2-2H4zM20 6h-5.5A2.5 "
    "2.5 0 0 0 12 8.5V19a2 2 0 0 1 2-2h6z",
    "commitment": "M6 20.5V4M6 4.5h11l-2.5 4 2.5 4H6",
    "creativity": "M12 3.5v3.5M12 17v3.5M3.5 12H7M17 12h3.5M6 6l2.5 2.5M15.5 15.5"
    "L18 18M6 18l2.5-2.5M15.5 8.5L18 6M12 9.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z",
    "excellence": "M12 4l2.4 5 5.6.8-4 3.9.9 5.5L12 16.6l-4.9 2.6.9-5.5-4-3.9 5.6-.8z",
    "momentum": "M5 6.5l5.5 5.5L5 17.5M12.5 6.5L18 12l-5.5 5.5",
    "growing_together": "M12 20.5v-9M12 11.5C12 7.5 9 5 4.5 5c0 4.5 3 6.5 7.5 6.5z"
    "M12 14c0-4 3-6.5 7.5-6.5 0 4.5-3 6.5-7.5 6.5z",
    "certified": "M12 3.5l2 1.6 2.5-.2.8 2.4 2.1 1.4-.8 2.4.8 2.4-2.1 1.4-.8 2.4"
    "-2.5-.2-2 1.6-2-1.6-2.5.2-.8-2.4-2.1-1.4.8-2.4-.8-2.4 2.1-1.4.8-2.4 2.5.2z"
    "M8.8 11.5l2.2 2.2 4.2-4.2",
    "champion": "M8 4h8v5.5a4 4 0 0 1-8 0zM8 6H5a3 3 0 0 0 3 4.5M16 6h3a3 3 0 0 1-3 "
    "4.5M12 13.5v3.5M8.5 20h7",
}
COLOURS = {
    "trust": "#0f766e",
    "networking": "#6d28d9",
    "expertise": "#1d4ed8",
    "commitment": "#c2410c",
    "creativity": "#be185d",
}
ACHIEVEMENT_FILL = "#1e293b"
LEVEL_RIMS = {
    Level.NONE: "#0ea5e9",
    Level.BRONZE: "#b5703c",
    Level.SILVER: "#a3acb9",
    Level.GOLD: "#e0b12e",
}
TIMES = "\N{MULTIPLICATION SIGN}"
HEXAGON = "M32 4l24.2 14v28L32 60 7.8 46V18z"


def _label(code: str, level: int, count: int | None, earned: bool) -> str:
    badge = CATALOGUE[code]
    if badge.is_kudos:
        if not earned or not count:
            return f"{badge.name} kudos, none yet"
        times = "once" if count == 1 else f"{count} times"
        return f"{badge.name} kudos, received {times}"
    name = f"{badge.name} {Level(level).label}".strip()
    return name if earned else f"{name}, not yet earned"


@register.simple_tag
def badge_icon(
    code: str,
    level: int = 0,
    count: int | None = None,
    size: int = 56,
    earned: bool = True,
    decorative: bool = False,
) -> SafeString:
    """Return the badge's SVG; ``count`` is overlaid on kudos (once included)."""
    badge = CATALOGUE[code]
    label = _label(code, level, count, earned)
    faded = "" if earned and count != 0 else " badge-icon--faded"

    if badge.is_kudos:
        body = format_html(
            '<circle cx="32" cy="34" r="26" fill="{}"/>'
            '<circle cx="32" cy="34" r="21.5" fill="none" stroke="#fff" '
            'stroke-opacity=".35" stroke-width="1.5"/>',
            COLOURS[code],
        )
    else:
        rim = LEVEL_RIMS[Level(level)]
        pips = "".join(
            format_html('<circle cx="{}" cy="51" r="2.6" fill="{}"/>', x, rim)
            for x in _pip_positions(level)
        )
        body = format_html(
            '<path d="{}" fill="{}" stroke="{}" stroke-width="4.5" '
            'stroke-linejoin="round"/>{}',
            HEXAGON,
            ACHIEVEMENT_FILL,
            rim,
            mark_safe(pips),
        )

    glyph = format_html(
        '<g transform="translate(17 {}) scale(1.25)" fill="none" stroke="#fff" '
        'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
        '<path d="{}"/></g>',
        19 if badge.is_kudos else 14 if level else 17,
        GLYPHS[code],
    )
    overlay = ""
    if badge.is_kudos and earned and count:
        shown = f"{TIMES}{count}" if count < 100 else "99+"
        overlay = format_html(
            '<g class="badge-icon__count"><rect x="{}" y="1" width="{}" height="20" '
            'rx="10" fill="#fff" stroke="{}" stroke-width="2"/>'
            '<text x="{}" y="15.5" text-anchor="middle" font-size="13" '
            'font-weight="700" fill="#0f172a" font-family="system-ui, sans-serif">'
            "{}</text></g>",
            64 - 8 * len(shown) - 10,
            8 * len(shown) + 9,
            COLOURS[code],
            64 - (8 * len(shown) + 9) / 2 - 1,
            shown,
        )
    if decorative:
        # Next to a visible name, the icon would only repeat it to a screen reader.
        naming = mark_safe('aria-hidden="true"')
    else:
        naming = format_html(
            'role="img" aria-label="{}"><title>{}</title', label, label
        )
    return format_html(
        '<svg class="badge-icon{}" width="{}" height="{}" viewBox="0 0 64 64" '
        'focusable="false" {}>{}{}{}</svg>',
        faded,
        size,
        size,
        naming,
        body,
        glyph,
        mark_safe(overlay),
    )


def _pip_positions(level: int) -> list[int]:
    return {0: [], 1: [32], 2: [28, 36], 3: [24, 32, 40]}[level]


@register.filter
def badge_name(code: str) -> str:
    badge = CATALOGUE.get(code)
    return badge.name if badge else code
