"""Share pages for staff, the public summary, Open Badges documents, and the
participant's choice to publish their achievements."""

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from mentorbadges.badges.models import Award
from mentorbadges.programs.models import Participant, Program
from mentorbadges.programs.naming import loop_names
from mentorbadges.sharing import images
from mentorbadges.sharing.figures import (
    Period,
    ShareFigures,
    quote_choices,
    share_figures,
)
from mentorbadges.sharing.forms import ShareForm, requested_period
from mentorbadges.sharing.links import (
    assertion_urls,
    badge_urls,
    issuer_urls,
    linkedin_share_url,
    publication_add_to_profile,
    share_page_url,
)
from mentorbadges.sharing.models import Publication, ShareLink
from mentorbadges.sharing.openbadges import (
    assertion_document,
    badge_class_document,
    badge_name,
    issuer_document,
    parse_badge_key,
    revocation_reason,
    revoked_document,
)
from mentorbadges.sharing.services import (
    NoAddress,
    carried_achievements,
    live_links,
    publish,
    revoke_share,
    share_summary,
    withdraw,
)
from mentorbadges.web.access import Viewer, participant_of, staff_viewer

JSON_LD = "application/ld+json"


# The coordinator's share page.


@dataclass(frozen=True)
class LiveLink:
    link: ShareLink
    period: Period
    url: str
    preview_url: str
    linkedin_url: str


def _live_link(request: HttpRequest, link: ShareLink) -> LiveLink:
    url = share_page_url(request, link)
    return LiveLink(
        link,
        Period(link.starts_on, link.ends_on),
        url,
        url + "preview.png",
        linkedin_share_url(url),
    )


@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    the_program = seen_as.program
    period = requested_period(request.POST) if request.method == "POST" else Period()
    choices = quote_choices(the_program, period)

    if request.method == "POST" and "show_quotes" in request.POST:
        # The coordinator changed the period and asks for its feedback: show
        # the form again, as filled in, without creating anything.
        kept = {
            name: request.POST.get(name)
            for name in ("starts_on", "ends_on", "quote_names")
        }
        form = ShareForm(initial=kept, choices=choices)
    elif request.method == "POST":
        form = ShareForm(request.POST, choices=choices)
        if form.is_valid():
            creator = request.user if isinstance(request.user, User) else None
            link = share_summary(
                the_program,
                creator,
                form.period,
                form.chosen_quote,
                form.cleaned_data["quote_names"],
            )
            messages.success(request, "Your summary page is ready to share.")
            return redirect(f"{request.path}#link-{link.pk}")
    else:
        form = ShareForm(choices=choices)

    links = live_links(the_program).select_related("quote").order_by("-created_at")
    context = {
        "program": the_program,
        "viewer": seen_as,
        "nav": "kudos",
        "form": form,
        "choices": choices,
        "period": period,
        "links": [_live_link(request, link) for link in links],
    }
    with timezone.override(the_program.tz):
        status = 422 if form.errors else 200
        return render(request, "sharing/share.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, program: str, link: int) -> HttpResponse:
    seen_as = staff_viewer(request, program)
    found = get_object_or_404(ShareLink, program=seen_as.program, pk=link)
    revoke_share(found)
    messages.success(request, "The link is revoked: its page no longer exists.")
    return redirect("share", program=seen_as.program.slug)


# The public summary.


def _shared(token: str) -> ShareLink:
    link = (
        ShareLink.objects.select_related("program", "quote__recipient", "quote__giver")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise Http404("No such page.")
    return link


def _figures_of(link: ShareLink) -> ShareFigures:
    period = Period(link.starts_on, link.ends_on)
    return share_figures(link.program, period, link.quote, link.quote_names)


@never_cache
@require_GET
def public_summary(request: HttpRequest, token: str) -> HttpResponse:
    link = _shared(token)
    url = share_page_url(request, link)
    context = {
        "figures": _figures_of(link),
        "page_url": url,
        "image_url": url + "preview.png",
        "image_size": images.PREVIEW_SIZE,
    }
    return render(request, "sharing/public_summary.html", context)


@never_cache
@require_GET
def preview(request: HttpRequest, token: str) -> HttpResponse:
    link = _shared(token)
    return HttpResponse(images.preview_png(_figures_of(link)), content_type="image/png")


# Open Badges documents, public by design.


def _json(document: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(
        document, status=status, content_type=JSON_LD, json_dumps_params={"indent": 2}
    )
    # Backpacks and validators fetch these from other sites' pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issuing_program(slug: str) -> Program:
    """Return a program that has published achievements, else raise 404.

    Programs nobody published from stay unknown to the public.
    """
    program = Program.objects.filter(slug=slug).first()
    if program is None or not Publication.objects.filter(program=program).exists():
        raise Http404("No such issuer.")
    return program


def _badge(slug: str, key: str) -> tuple[Program, str, int]:
    parsed = parse_badge_key(key)
    if parsed is None:
        raise Http404("No such badge.")
    return (_issuing_program(slug), *parsed)


@never_cache
@require_GET
def ob_issuer(request: HttpRequest, slug: str) -> HttpResponse:
    program = _issuing_program(slug)
    return _json(issuer_document(program, issuer_urls(request, slug)))


@never_cache
@require_GET
def ob_badge(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, code, level = _badge(slug, key)
    urls = badge_urls(request, slug, code, level)
    return _json(badge_class_document(code, level, urls))


@require_GET
def ob_badge_image(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, code, level = _badge(slug, key)
    response = HttpResponse(images.badge_png(code, level), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _publication(public_id: str) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("award__recipient", "award__program"),
        public_id=public_id,
    )


@never_cache
@require_GET
def ob_assertion(request: HttpRequest, public_id: str) -> HttpResponse:
    publication = _publication(public_id)
    urls = assertion_urls(request, publication)
    reason = revocation_reason(publication)
    if reason is not None:
        return _json(revoked_document(urls["assertion"], reason), status=410)
    return _json(assertion_document(publication, urls))


@never_cache
@require_GET
def ob_assertion_image(request: HttpRequest, public_id: str) -> HttpResponse:
    publication = _publication(public_id)
    if revocation_reason(publication) is not None:
        raise Http404("This badge is revoked.")

    award = publication.award
    urls = assertion_urls(request, publication)
    baked = json.dumps(assertion_document(publication, urls))
    return HttpResponse(
        images.badge_png(award.badge, award.level, baked=baked),
        content_type="image/png",
    )


@never_cache
@require_GET
def ob_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The page people reach from a profile: what it is, and whether it stands."""
    publication = _publication(public_id)
    award = publication.award
    program = award.program
    reason = revocation_reason(publication)
    context = {
        "name": badge_name(award.badge, award.level),
        "program": program,
        "issued": award.awarded_at.astimezone(program.tz),
        "reason": reason,
        "urls": assertion_urls(request, publication),
        "recipient": "" if reason else award.recipient.name,
    }
    status = 410 if reason else 200
    return render(request, "sharing/verify.html", context, status=status)


# The participant's achievements to carry.


@dataclass(frozen=True)
class Carried:
    award: Award
    name: str
    publication: Publication | None
    verify_url: str
    add_to_profile_url: str
    loop_name: str = ""


def _holder(request: HttpRequest) -> Participant:
    participant = participant_of(request.user)
    if participant is None:
        raise Http404("Only participants carry achievements.")
    return participant


@login_required
@require_GET
def achievements(request: HttpRequest) -> HttpResponse:
    participant = _holder(request)
    program = participant.program
    awards = list(carried_achievements(participant))
    publications = {
        p.award_id: p
        for p in Publication.objects.filter(
            award__recipient=participant, withdrawn_at__isnull=True
        ).select_related("award__program", "award__recipient")
    }

    named = loop_names(participant, {a.loop for a in awards if a.loop is not None})
    items = []
    for award in awards:
        publication = publications.get(award.pk)
        verify = add = ""
        if publication is not None:
            verify = assertion_urls(request, publication)["verify"]
            add = publication_add_to_profile(request, publication)
        items.append(
            Carried(
                award,
                badge_name(award.badge, award.level),
                publication,
                verify,
                add,
                named.get(award.loop_id, "") if award.loop_id else "",
            )
        )

    context = {
        "program": program,
        "viewer": Viewer(program, "", participant),
        "nav": "mine",
        "items": items,
    }
    with timezone.override(program.tz):
        return render(request, "sharing/achievements.html", context)


@login_required
@require_POST
def publish_achievement(request: HttpRequest, award: int) -> HttpResponse:
    participant = _holder(request)
    found = get_object_or_404(
        carried_achievements(participant).select_related("recipient__user"), pk=award
    )
    try:
        publish(found)
    except NoAddress as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{badge_name(found.badge, found.level)} is published. Anyone with its "
            "link can check it.",
        )
    return redirect(reverse("my-achievements") + f"#award-{found.pk}")


@login_required
@require_POST
def withdraw_achievement(request: HttpRequest, award: int) -> HttpResponse:
    participant = _holder(request)
    publication = get_object_or_404(
        Publication,
        award__recipient=participant,
        award_id=award,
        withdrawn_at__isnull=True,
    )
    withdraw(publication)
    messages.success(request, "Withdrawn: its link now answers that it is revoked.")
    return redirect(reverse("my-achievements") + f"#award-{award}")
