"""Pages for participants (home, kudos, badges) and staff (reports, moderation)."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from mentorbadges.activity.models import Event, Rejection
from mentorbadges.badges.catalogue import ACHIEVEMENTS, CATALOGUE, KUDOS, KUDOS_CODES
from mentorbadges.badges.models import Award
from mentorbadges.badges.profile import (
    badge_counts,
    best_levels,
    participant_profile,
)
from mentorbadges.badges.services import (
    AlreadyWithdrawn,
    KudosRequest,
    NotWithdrawable,
    give_kudos,
    withdraw_kudos,
)
from mentorbadges.programs.models import Loop, Membership, Participant, StaffRole
from mentorbadges.programs.naming import loop_names
from mentorbadges.reports.csv import csv_chunks
from mentorbadges.reports.summary import kudos_summary
from mentorbadges.reports.table import (
    COLUMNS,
    TableQuery,
    badge_table,
    export_awards,
    is_filtered,
)
from mentorbadges.web.access import (
    Viewer,
    is_program_staff,
    participant_of,
    staff_programs,
    staff_viewer,
    viewer,
)
from mentorbadges.web.charts import bar_rows, month_bars
from mentorbadges.web.forms import KudosForm, WithdrawForm, new_key
from mentorbadges.web.kudos import Opening, explain, pending_prompts, refusals

PEOPLE_PER_PAGE = 30
REJECTIONS_PER_PAGE = 50
LATEST_BADGES = 6


@login_required
def home(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request.user)
    programs = staff_programs(request.user)
    context: dict[str, object] = {"staff_programs": programs, "nav": "home"}
    if participant is not None:
        program = participant.program
        role = (
            StaffRole.objects.filter(program=program, user=cast(User, request.user))
            .values_list("role", flat=True)
            .first()
        )
        context["viewer"] = Viewer(program, role or "", participant)
        with timezone.override(program.tz):
            context.update(_participant_home(participant))
            return render(request, "web/home.html", context)
    return render(request, "web/home.html", context)


def _participant_home(participant: Participant) -> dict[str, object]:
    program = participant.program
    spans = (
        Membership.objects.filter(participant=participant, left_at__isnull=True)
        .select_related("loop")
        .order_by("-loop__started_at", "loop_id")
    )
    loops = {span.loop_id: span for span in spans}
    others = (
        Membership.objects.filter(loop_id__in=list(loops), left_at__isnull=True)
        .exclude(participant=participant)
        .select_related("participant", "loop")
        .order_by("participant__sort_name", "participant_id")
    )
    pairs = [(span.loop, span.participant) for span in others]
    judged = refusals(participant, pairs)
    staff_users = set(
        StaffRole.objects.filter(
            program=program, user_id__in=[p.user_id for _, p in pairs if p.user_id]
        ).values_list("user_id", flat=True)
    )

    openings: dict[int, list[Opening]] = {pk: [] for pk in loops}
    for span in others:
        refusal = judged.get((span.loop_id, span.participant_id))
        if span.participant.user_id in staff_users:
            refusal = "staff"
        openings[span.loop_id].append(
            Opening(span.loop, span.participant, span.role, refusal)
        )

    prompts = pending_prompts(participant)
    names = loop_names(participant, [span.loop for span in loops.values()])
    latest = (
        Award.objects.filter(recipient=participant, revoked_at__isnull=True)
        .select_related("loop", "giver")
        .order_by("-awarded_at", "-id")[:LATEST_BADGES]
    )
    return {
        "program": program,
        "participant": participant,
        "loops": [
            {
                "span": span,
                "name": names[pk],
                "openings": openings[pk],
                "prompt": pk in prompts and any(not o.refusal for o in openings[pk]),
            }
            for pk, span in loops.items()
        ],
        "latest": latest,
    }


# Giving kudos.


def _kudos_target(
    request: HttpRequest, slug: str, loop_pk: int, recipient_pk: int
) -> tuple[Participant, Loop, Participant]:
    seen_as = viewer(request, slug)
    giver = seen_as.participant
    if giver is None:
        raise Http404("Only participants give kudos.")
    loop = get_object_or_404(Loop, program=seen_as.program, pk=loop_pk)
    recipient = get_object_or_404(Participant, program=seen_as.program, pk=recipient_pk)
    return giver, loop, recipient


def _refusal_now(
    request: HttpRequest, giver: Participant, loop: Loop, recipient: Participant
) -> str | None:
    if is_program_staff(request.user.pk, loop.program) or is_program_staff(
        recipient.user_id, loop.program
    ):
        return "staff"
    return refusals(giver, [(loop, recipient)]).get((loop.pk, recipient.pk))


@login_required
@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, program: str, loop: int, recipient: int) -> HttpResponse:
    giver, loop_row, to = _kudos_target(request, program, loop, recipient)
    the_program = loop_row.program
    refusal = _refusal_now(request, giver, loop_row, to)
    error = ""

    if request.method == "POST":
        form = KudosForm(request.POST)
        if refusal == "staff":
            error = explain(refusal)
        elif form.is_valid():
            data = form.cleaned_data
            outcome = give_kudos(
                the_program,
                KudosRequest(
                    loop_row, giver, to, data["category"], data["feedback"], data["key"]
                ),
            )
            if outcome.status != "rejected":
                return redirect("kudos-sent", program=the_program.slug, key=data["key"])
            error = explain(outcome.reason)
            refusal = outcome.reason
            if outcome.reason == "already_sent":
                # A fresh key, so that sending the form again is a new kudos.
                fresh = request.POST.copy()
                fresh["key"] = new_key()
                form = KudosForm(fresh)
                form.is_valid()
    else:
        form = KudosForm(initial={"key": new_key(), "category": request.GET.get("c")})

    context = {
        "program": the_program,
        "loop": loop_row,
        "recipient": to,
        "form": form,
        "refusal": explain(refusal) if refusal and not error else "",
        "error": error,
        "categories": KUDOS,
        "viewer": Viewer(the_program, "", giver),
        "nav": "home",
        "selected": form["category"].value(),
    }
    status = 422 if error else 200
    return render(request, "web/give.html", context, status=status)


@login_required
def kudos_sent(request: HttpRequest, program: str, key: str) -> HttpResponse:
    seen_as = viewer(request, program)
    giver = seen_as.participant
    if giver is None:
        raise Http404("Only participants give kudos.")
    event = get_object_or_404(
        Event, program=seen_as.program, event_id=f"web-{giver.pk}-{key}"
    )
    award = get_object_or_404(
        Award.objects.select_related("recipient", "loop"), event=event
    )
    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "web/sent.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "award": award,
                "withdrawn": award.revoked_at,
                "nav": "home",
            },
        )


# Profiles and the directory.


@login_required
def profile(request: HttpRequest, program: str, participant: int) -> HttpResponse:
    seen_as = viewer(request, program)
    person = get_object_or_404(
        Participant.objects.select_related("program"),
        program=seen_as.program,
        pk=participant,
    )
    own = seen_as.participant is not None and seen_as.participant.pk == person.pk
    badges = participant_profile(person, with_feedback=own)
    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "web/profile.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "person": person,
                "profile": badges,
                "own": own,
                "nav": "mine" if own else "people",
            },
        )


@login_required
def people(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = viewer(request, program)
    # PostgreSQL refuses NUL in text, so a NUL in a search must never reach it.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    everyone = Participant.objects.filter(
        program=seen_as.program, erased_at__isnull=True
    )
    if search:
        everyone = everyone.filter(
            Q(name__icontains=search) | Q(external_id__icontains=search)
        )
    everyone = everyone.annotate(
        loops=Count("membership", filter=Q(membership__left_at__isnull=True))
    ).order_by("sort_name", "pk")
    page = Paginator(everyone, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    shown = [person.pk for person in page.object_list]
    counts = badge_counts(shown)
    levels = best_levels(shown)
    rows = []
    for person in page.object_list:
        held = counts.get(person.pk, {})
        rows.append(
            {
                "person": person,
                "kudos": [(b.code, held.get(b.code, 0)) for b in KUDOS],
                "kudos_total": sum(held.get(code, 0) for code in KUDOS_CODES),
                "achievements": [
                    (b.code, levels[person.pk][b.code])
                    for b in ACHIEVEMENTS
                    if b.code in levels.get(person.pk, {})
                ],
            }
        )
    template = "web/_people_list.html" if request.htmx else "web/people.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "program": seen_as.program,
            "viewer": seen_as,
            "page": page,
            "rows": rows,
            "search": search,
            "nav": "people",
        },
    )


# Staff: the Kudos page.


@login_required
def summary(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    figures = kudos_summary(seen_as.program)
    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "web/summary.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "summary": figures,
                "category_bars": bar_rows(figures.categories),
                "top_category": max(figures.categories, key=lambda c: c.count),
                "months": month_bars(figures.months),
                "tab": "summary",
                "nav": "kudos",
            },
        )


@login_required
def all_badges(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    query = TableQuery.from_params(request.GET)
    page = badge_table(seen_as.program, query)
    context = {
        "program": seen_as.program,
        "viewer": seen_as,
        "page": page,
        "query": query,
        "filtered": is_filtered(query),
        "columns": _columns(query),
        "badges": list(CATALOGUE.values()),
        "export_query": urlencode(query.filters),
        "previous_query": urlencode(query.params(page=page.number - 1)),
        "next_query": urlencode(query.params(page=page.number + 1)),
        "tab": "all",
        "nav": "kudos",
    }
    template = "web/_table.html" if request.htmx else "web/all_badges.html"  # type: ignore[attr-defined]
    with timezone.override(seen_as.program.tz):
        return render(request, template, context)


def _columns(query: TableQuery) -> list[dict[str, object]]:
    labels = {
        "date": "Date",
        "type": "Type",
        "badge": "Badge",
        "level": "Level",
        "recipient": "Recipient",
        "giver": "Giver",
        "loop": "Loop",
        "feedback": "Feedback",
    }
    columns = []
    for name in COLUMNS:
        active = query.sort == name
        # A first click sorts dates newest first and everything else A to Z.
        descending = not query.descending if active else name == "date"
        columns.append(
            {
                "name": name,
                "label": labels[name],
                "active": active,
                "aria_sort": (
                    ("descending" if query.descending else "ascending")
                    if active
                    else "none"
                ),
                "url": urlencode(
                    query.params(sort=name, descending=descending, page=1)
                ),
            }
        )
    return columns


@login_required
def badges_csv(request: HttpRequest, program: str) -> StreamingHttpResponse:
    seen_as = staff_viewer(request, program)
    query = TableQuery.from_params(request.GET)
    awards = export_awards(seen_as.program, query)
    response = StreamingHttpResponse(
        csv_chunks(awards, seen_as.program), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().astimezone(seen_as.program.tz).strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="{seen_as.program.slug}-badges-{stamp}.csv"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, program: str, award: int) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    kudos = get_object_or_404(
        Award.objects.select_related("recipient", "giver", "loop"),
        program=seen_as.program,
        pk=award,
        badge__in=KUDOS_CODES,
    )
    back = reverse("all-badges", kwargs={"program": seen_as.program.slug})
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url.startswith(back):
        back = next_url

    form = WithdrawForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_kudos(kudos, cast(User, request.user), form.cleaned_data["reason"])
        except AlreadyWithdrawn:
            # A double click or a resubmitted form: the first one did it.
            messages.info(request, "This kudos was already withdrawn.")
            return HttpResponseRedirect(back)
        except NotWithdrawable as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"The {kudos.badge_name} kudos for {kudos.recipient.name} was "
                "withdrawn. It no longer counts anywhere; the audit trail keeps it.",
            )
            return HttpResponseRedirect(back)

    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "web/withdraw.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "award": kudos,
                "form": form,
                "error": error,
                "back": back,
                "nav": "kudos",
            },
            status=422 if error or form.errors else 200,
        )


@login_required
def rejections(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    reason = request.GET.get("reason", "").replace("\x00", "")
    found = Rejection.objects.filter(program=seen_as.program)
    reasons = list(
        found.values_list("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
        .values_list("reason", "n")
    )
    if reason:
        found = found.filter(reason=reason)
    page = Paginator(
        found.order_by("-received_at", "-id"), REJECTIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "web/rejections.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "page": page,
                "reasons": reasons,
                "reason": reason,
                "nav": "rejections",
            },
        )
