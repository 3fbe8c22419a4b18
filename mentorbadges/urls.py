from django.urls import include, path

urlpatterns = [
    path("api/", include("mentorbadges.api.urls")),
    path("p/<slug:program>/health/", include("mentorbadges.health.urls")),
    path("notifications/", include("mentorbadges.notifications.urls")),
    path("", include("mentorbadges.sharing.urls")),
    path("", include("mentorbadges.privacy.urls")),
    path("", include("mentorbadges.api.page_urls")),
    path("", include("mentorbadges.web.urls")),
]
