"""Absolute addresses of public pages, and the links LinkedIn understands."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from mentorbadges.sharing.models import Publication, ShareLink
from mentorbadges.sharing.openbadges import badge_key, badge_name

LINKEDIN_SHARE = "https://www.linkedin.com/sharing/share-offsite/"
LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def absolute(request: HttpRequest, path: str) -> str:
    """Return the address of ``path`` as people outside reach it."""
    base = settings.PUBLIC_URL.rstrip("/")
    if base:
        return base + path
    return request.build_absolute_uri(path)


def share_page_url(request: HttpRequest, link: ShareLink) -> str:
    return absolute(request, reverse("share-public", args=[link.token]))


def linkedin_share_url(page_url: str) -> str:
    return f"{LINKEDIN_SHARE}?{urlencode({'url': page_url})}"


def issuer_urls(request: HttpRequest, slug: str) -> dict[str, str]:
    return {
        "home": absolute(request, reverse("home")),
        "issuer": absolute(request, reverse("ob-issuer", args=[slug])),
    }


def badge_urls(
    request: HttpRequest, slug: str, code: str, level: int
) -> dict[str, str]:
    key = badge_key(code, level)
    return {
        **issuer_urls(request, slug),
        "badge": absolute(request, reverse("ob-badge", args=[slug, key])),
        "badge_image": absolute(request, reverse("ob-badge-image", args=[slug, key])),
    }


def assertion_urls(request: HttpRequest, publication: Publication) -> dict[str, str]:
    award = publication.award
    urls = badge_urls(request, award.program.slug, award.badge, award.level)
    public_id = publication.public_id
    urls["assertion"] = absolute(request, reverse("ob-assertion", args=[public_id]))
    urls["assertion_image"] = absolute(
        request, reverse("ob-assertion-image", args=[public_id])
    )
    urls["verify"] = absolute(request, reverse("ob-verify", args=[public_id]))
    return urls


def add_to_profile_url(
    name: str, organization: str, issued: datetime, cert_url: str, cert_id: str
) -> str:
    """Return LinkedIn's pre-filled "Add licence or certification" form."""
    query: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": cert_url,
        "certId": cert_id,
    }
    return f"{LINKEDIN_ADD_TO_PROFILE}?{urlencode(query)}"


def publication_add_to_profile(request: HttpRequest, publication: Publication) -> str:
    award = publication.award
    program = award.program
    return add_to_profile_url(
        badge_name(award.badge, award.level),
        program.name,
        award.awarded_at.astimezone(program.tz),
        assertion_urls(request, publication)["verify"],
        publication.public_id,
    )
