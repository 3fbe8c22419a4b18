from django import template

from mentorbadges.sharing.figures import thousands as _thousands

register = template.Library()


@register.filter
def thousands(n: int) -> str:
    """Write a figure with the thousands separator the preview image uses."""
    return _thousands(n)
