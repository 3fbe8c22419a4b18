from django.urls import path

from mentorbadges.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
