from django.urls import path

from mentorbadges.api import pages

urlpatterns = [
    path("p/<slug:program>/tokens/", pages.tokens, name="api-tokens"),
    path(
        "p/<slug:program>/tokens/<int:token>/revoke/",
        pages.revoke_token,
        name="api-token-revoke",
    ),
]
