"""The program health page for staff, and its figures as CSV."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from mentorbadges.health import charts
from mentorbadges.health.figures import (
    AGE_BANDS,
    FIRST_BADGE_AIM,
    Figures,
    last_meetings,
    loops_without_kudos,
    near_next_level,
    program_figures,
    quiet_loops,
)
from mentorbadges.web.access import staff_viewer


@login_required
def health_page(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    chosen, now = seen_as.program, timezone.now()
    figures = program_figures(chosen, now=now)
    last = last_meetings(chosen, now)
    with timezone.override(chosen.tz):
        return render(
            request,
            "health/page.html",
            {
                "program": chosen,
                "viewer": seen_as,
                "nav": "health",
                "figures": figures,
                "bands": AGE_BANDS,
                "median_days": _days(figures.median_first_badge),
                "aim_days": _days(FIRST_BADGE_AIM),
                "on_time": figures.median_first_badge is not None
                and figures.median_first_badge <= FIRST_BADGE_AIM,
                "month_chart": charts.month_chart(figures.months, "trend-chart"),
                "funnel_chart": charts.funnel_chart(
                    figures.achievements, "levels-chart"
                ),
                "no_kudos": loops_without_kudos(chosen, now=now, last=last),
                "quiet": quiet_loops(chosen, now=now, last=last),
                "near": near_next_level(chosen, now=now, last=last),
            },
        )


@login_required
def figures_csv(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    figures = program_figures(seen_as.program)
    response = HttpResponse(
        figures_as_csv(figures), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="health-{seen_as.program.slug}.csv"'
    )
    return response


def figures_as_csv(figures: Figures) -> str:
    """Return every figure as a row: what, over which group, value, count, total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["figure", "group", "value", "count", "total"])
    coverage = figures.kudos_coverage
    writer.writerow(
        [
            "Loops with at least one kudos (%)",
            "All loops",
            _value(coverage.percent),
            coverage.count,
            coverage.total,
        ]
    )
    for item in figures.achievements:
        shares = [("All loops", item.overall)]
        shares += [
            (band.label, share)
            for band, share in zip(AGE_BANDS, item.by_age, strict=True)
        ]
        for group, share in shares:
            writer.writerow(
                [
                    f"{item.label} held (%)",
                    group,
                    _value(share.percent),
                    share.count,
                    share.total,
                ]
            )
    writer.writerow(
        [
            "Median days from loop start to first badge",
            "Loops with a badge",
            _value(_days(figures.median_first_badge)),
            figures.loops_with_badges,
            figures.loops,
        ]
    )
    champions = figures.champion_at_12_months
    writer.writerow(
        [
            "Champion within 12 months (%)",
            "Loops of 12 months or more",
            _value(champions.percent),
            champions.count,
            champions.total,
        ]
    )
    for month in figures.months:
        label = month.month.strftime("%Y-%m")
        writer.writerow(["Kudos awarded", label, month.kudos, "", ""])
        writer.writerow(["Achievements awarded", label, month.achievements, "", ""])
    return "\ufeff" + out.getvalue()


def _days(span: timedelta | None) -> float | None:
    return None if span is None else round(span.total_seconds() / 86400, 1)


def _value(value: float | None) -> str:
    return "" if value is None else str(value)
