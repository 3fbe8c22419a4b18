from django.urls import path

from mentorbadges.health import views

app_name = "health"

urlpatterns = [
    path("", views.health_page, name="page"),
    path("figures.csv", views.figures_csv, name="csv"),
]
