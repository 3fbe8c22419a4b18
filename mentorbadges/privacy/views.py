"""Staff pages for data rights (export, erasure) and the audit trail."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mentorbadges.badges.models import AwardChange
from mentorbadges.privacy.audit import record
from mentorbadges.privacy.erasure import AlreadyErased, erase_participant
from mentorbadges.privacy.export import participant_data
from mentorbadges.privacy.forms import EraseForm
from mentorbadges.privacy.models import AuditEntry
from mentorbadges.programs.models import Participant
from mentorbadges.web.access import admin_viewer, staff_viewer

PER_PAGE = 50


@login_required
@require_GET
def audit(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    changes = (
        AwardChange.objects.filter(program=seen_as.program)
        .select_related("award__recipient", "award__giver", "actor")
        .order_by("-at", "-pk")
    )
    entries = AuditEntry.objects.filter(program=seen_as.program).order_by("-at", "-pk")
    with timezone.override(seen_as.program.tz):
        return render(
            request,
            "privacy/audit.html",
            {
                "program": seen_as.program,
                "viewer": seen_as,
                "changes": Paginator(changes, PER_PAGE).get_page(
                    request.GET.get("changes")
                ),
                "entries": Paginator(entries, PER_PAGE).get_page(
                    request.GET.get("entries")
                ),
                "nav": "audit",
            },
        )


@never_cache
@login_required
@require_GET
def participant_export(
    request: HttpRequest, program: str, participant: int
) -> HttpResponse:
    seen_as = admin_viewer(request, program)
    person = get_object_or_404(Participant, program=seen_as.program, pk=participant)
    data = participant_data(person)
    record(
        seen_as.program,
        AuditEntry.EXPORTED,
        f"Participant {person.pk}",
        actor=request.user,
    )
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{seen_as.program.slug}-participant-{person.pk}.json"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, program: str, participant: int) -> HttpResponse:
    seen_as = admin_viewer(request, program)
    person = get_object_or_404(Participant, program=seen_as.program, pk=participant)
    form = EraseForm(request.POST if request.method == "POST" else None)
    error = ""
    if person.erased_at is not None:
        error = "This participant has already been erased."
    elif request.method == "POST" and form.is_valid():
        try:
            erasure = erase_participant(person, request.user)
        except AlreadyErased as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                f"The participant is now “{erasure.placeholder}”: "
                f"{erasure.summary} Their badge counts stay.",
            )
            return redirect("audit", program=seen_as.program.slug)

    status = 422 if request.method == "POST" and (error or form.errors) else 200
    return render(
        request,
        "privacy/erase.html",
        {
            "program": seen_as.program,
            "viewer": seen_as,
            "person": person,
            "form": form,
            "error": error,
            "nav": "people",
        },
        status=status,
    )
