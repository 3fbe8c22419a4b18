from django.urls import include, path

urlpatterns = [
    path("", include("mentorbadges.web.urls")),
]
