"""The nav's link to the notifications page, with the unread count."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mentorbadges.notifications.services import unread_count
from mentorbadges.web.access import participant_of

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_link(context: template.Context) -> SafeString | str:
    """Render the link for a signed-in participant, and nothing for anyone else."""
    request = context.get("request")
    participant = participant_of(request.user) if request is not None else None
    if participant is None:
        return ""

    count = unread_count(participant)
    current = ' aria-current="page"' if context.get("nav") == "notifications" else ""
    if not count:
        return format_html(
            '<a href="{}"{}>Notifications</a>',
            reverse("notifications:list"),
            SafeString(current),
        )
    return format_html(
        '<a href="{}"{}>Notifications <span class="pill" aria-hidden="true">{}'
        '</span><span class="visually-hidden">, {} unread</span></a>',
        reverse("notifications:list"),
        SafeString(current),
        count,
        count,
    )
