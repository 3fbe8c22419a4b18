from django.urls import URLPattern, URLResolver, path

from mentorbadges.api.api import api

urlpatterns: list[URLPattern | URLResolver] = [path("", api.urls)]
