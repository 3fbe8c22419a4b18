"""The participant's notifications, read marks and e-mail choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from mentorbadges.notifications import services
from mentorbadges.programs.models import Participant
from mentorbadges.programs.naming import loop_names
from mentorbadges.web.access import Viewer, participant_of

PAGE_SIZE = 30


def _participant(request: HttpRequest) -> Participant:
    participant = participant_of(request.user)
    if participant is None:
        raise Http404("Notifications are for participants.")
    return participant


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    participant = _participant(request)
    program = participant.program
    # News of an award is dated by the award, not by when it was recorded
    # (an import records a year of awards at once).
    rows = (
        services.visible(participant)
        .select_related("award__giver", "loop")
        .annotate(happened_at=Coalesce("award__awarded_at", "created_at"))
        .order_by("-happened_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    partner_ids = {pk for item in page for pk in item.partners}
    names = dict(
        Participant.objects.filter(
            pk__in=partner_ids, program=program, active=True
        ).values_list("pk", "name")
    )
    loops = {item.loop.pk: item.loop for item in page if item.loop is not None}
    loop_name = loop_names(participant, loops.values())
    for item in page:
        if item.loop is not None:
            item.loop_name = loop_name[item.loop.pk]
    items = [
        (item, [(pk, names[pk]) for pk in item.partners if pk in names])
        for item in page
    ]
    with timezone.override(program.tz):
        return render(
            request,
            "notifications/list.html",
            {
                "program": program,
                "viewer": Viewer(program, "", participant),
                "nav": "notifications",
                "page": page,
                "items": items,
                "unread": services.unread_count(participant),
                "emails_on": services.emails_on(participant),
                "has_email": bool(participant.email),
            },
        )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    participant = _participant(request)
    chosen = request.POST.get("notification")
    if chosen is None:
        services.mark_read(participant)
    elif chosen.isdigit():
        services.mark_read(participant, [int(chosen)])
    page = request.POST.get("page", "")
    suffix = f"?page={page}" if page.isdigit() else ""
    return redirect(reverse("notifications:list") + suffix)


@login_required
@require_POST
def email_preference(request: HttpRequest) -> HttpResponse:
    participant = _participant(request)
    on = request.POST.get("email") == "on"
    services.set_emails(participant, on)
    messages.success(
        request,
        "You will get an e-mail for each new badge."
        if on
        else "You will get no more e-mails about badges.",
    )
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    # Mail clients and link scanners open links, so only the form's POST
    # changes anything.
    participant = services.participant_from_token(token)
    if participant is None:
        raise Http404("This link is not valid.")

    done = False
    if request.method == "POST":
        services.set_emails(participant, False)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"participant": participant, "done": done},
    )
