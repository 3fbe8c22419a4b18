"""The month chart's geometry: every bar and label inside the drawing."""

from datetime import date

import pytest

from mentorbadges.reports.summary import MonthCount
from mentorbadges.web.charts import MONTH_WIDTH, month_bars

# Labels are 13px text such as "Dec 26": at most about 8px a character.
CHARACTER = 8
VIEW_LEFT, VIEW_RIGHT = -4, MONTH_WIDTH + 4


def months(count: int) -> list[MonthCount]:
    return [
        MonthCount(date(2024 + (n // 12), n % 12 + 1, 1), n % 7) for n in range(count)
    ]


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12, 13, 24, 36, 60])
def test_every_shown_label_fits_inside_the_chart(count: int) -> None:
    for bar in month_bars(months(count)):
        if not bar.show_label:
            continue
        extent = CHARACTER * len(bar.short)
        left = {
            "start": bar.label_x,
            "middle": bar.label_x - extent / 2,
            "end": bar.label_x - extent,
        }[bar.anchor]
        assert left >= VIEW_LEFT and left + extent <= VIEW_RIGHT, bar


def test_labels_sit_under_their_bars() -> None:
    for bar in month_bars(months(12)):
        assert bar.x <= bar.label_x <= bar.x + bar.width
        assert bar.x >= 0 and bar.x + bar.width <= MONTH_WIDTH
