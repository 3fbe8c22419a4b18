"""Geometry for the server-drawn SVG charts of the Kudos summary."""

from dataclasses import dataclass

from mentorbadges.reports.summary import CategoryTotal, MonthCount

CHART_HEIGHT = 160
BAR_GAP = 6
MONTH_WIDTH = 480
MAX_BAR = 56


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    detail: str
    count: int
    percent: float


@dataclass(frozen=True)
class MonthBar:
    label: str
    short: str
    count: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool
    label_x: float
    anchor: str


def bar_rows(categories: list[CategoryTotal]) -> list[Bar]:
    """Return one bar per category, scaled to the largest."""
    top = max((c.count for c in categories), default=0)
    return [
        Bar(
            c.code,
            c.name,
            c.description,
            c.count,
            round(100 * c.count / top, 1) if top else 0.0,
        )
        for c in categories
    ]


def month_bars(months: list[MonthCount]) -> list[MonthBar]:
    """Return columns for kudos per month across a fixed-width chart."""
    if not months:
        return []

    top = max(m.count for m in months) or 1
    slot = MONTH_WIDTH / len(months)
    width = min(max(slot - BAR_GAP, 2), MAX_BAR)
    every = max(1, -(-len(months) // 8))
    bars = []
    last = len(months) - 1
    for index, month in enumerate(months):
        height = round(CHART_HEIGHT * month.count / top, 1)
        x = index * slot + (slot - width) / 2
        # Labels sit under the middle of their bar; the first and last keep
        # inside the chart by starting or ending at their bar's edge.
        if index == 0:
            label_x, anchor = x, "start"
        elif index == last:
            label_x, anchor = x + width, "end"
        else:
            label_x, anchor = x + width / 2, "middle"
        bars.append(
            MonthBar(
                label=month.month.strftime("%B %Y"),
                short=month.month.strftime("%b %y"),
                count=month.count,
                x=round(x, 1),
                y=CHART_HEIGHT - height,
                width=round(width, 1),
                height=height,
                show_label=index % every == 0,
                label_x=round(label_x, 1),
                anchor=anchor,
            )
        )
    return bars
