"""Charts as server-rendered SVG, each paired with a table for screen readers.

The SVG is marked as an image with a title and a one-sentence description;
the page shows the same numbers as a table next to it.
"""

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from mentorbadges.health.figures import AchievementShare, MonthCount

KUDOS_COLOUR = "#6366f1"
ACHIEVEMENT_COLOUR = "#0f766e"
TRACK_COLOUR = "#e5e7eb"


def month_chart(months: Sequence[MonthCount], chart_id: str) -> SafeString:
    """Return paired bars per month: kudos and achievements awarded."""
    width, height, left, bottom, top = 960, 240, 36, 28, 12
    peak = max([1, *(max(m.kudos, m.achievements) for m in months)])
    slot = (width - left) / max(1, len(months))
    bar = slot * 0.34
    plot = height - bottom - top

    bars = []
    for index, month in enumerate(months):
        x = left + index * slot + slot * 0.14
        for offset, value, colour, name in (
            (0.0, month.kudos, KUDOS_COLOUR, "kudos"),
            (bar, month.achievements, ACHIEVEMENT_COLOUR, "achievements"),
        ):
            size = plot * value / peak
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" '
                    'fill="{}"><title>{}: {} {}</title></rect>',
                    _n(x + offset),
                    _n(top + plot - size),
                    _n(bar),
                    _n(size),
                    colour,
                    month.month.strftime("%b %Y"),
                    value,
                    name,
                )
            )
        bars.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" '
                'fill="#4b5563">{}</text>',
                _n(x + bar),
                height - 10,
                month.month.strftime("%b"),
            )
        )

    total_kudos = sum(m.kudos for m in months)
    total_achievements = sum(m.achievements for m in months)
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title" aria-describedby="{}-desc" class="chart">'
        '<title id="{}-title">Badges awarded per month</title>'
        '<desc id="{}-desc">Kudos and achievements awarded in each of the last {} '
        "months: {} kudos and {} achievements in all. The table below gives each "
        "month's numbers.</desc>"
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#9ca3af"/>'
        '<text x="0" y="{}" font-size="11" fill="#4b5563">{}</text>'
        "{}</svg>",
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        len(months),
        total_kudos,
        total_achievements,
        left,
        top + plot,
        width,
        top + plot,
        top + 10,
        peak,
        format_html_join("", "{}", ((b,) for b in bars)),
    )


def funnel_chart(shares: Sequence[AchievementShare], chart_id: str) -> SafeString:
    """Return one bar per achievement level: the share of seats holding it."""
    width, row, label = 960, 30, 170
    height = row * len(shares) + 8
    track = width - label - 60

    rows = []
    for index, share in enumerate(shares):
        y = index * row + 4
        ratio = share.overall.ratio or 0.0
        percent = share.overall.percent
        rows.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="#1f2937">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="18" rx="4" fill="{}"/>'
                '<rect x="{}" y="{}" width="{}" height="18" rx="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="13" fill="#1f2937">{}</text>',
                y + 14,
                share.label,
                label,
                y,
                track,
                TRACK_COLOUR,
                label,
                y,
                _n(track * ratio),
                ACHIEVEMENT_COLOUR,
                label + track + 8,
                y + 14,
                "n/a" if percent is None else f"{percent}%",
            )
        )
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title" aria-describedby="{}-desc" class="chart">'
        '<title id="{}-title">Levels reached</title>'
        '<desc id="{}-desc">The share of participants, per loop, holding each '
        "achievement level, from Momentum Bronze to Champion. The table below "
        "gives the same shares by how long the loop has run.</desc>{}</svg>",
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        format_html_join("", "{}", ((r,) for r in rows)),
    )


def _n(value: float) -> str:
    return f"{value:.1f}"
