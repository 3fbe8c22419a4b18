from django.urls import path

from mentorbadges.privacy import views

urlpatterns = [
    path("p/<slug:program>/audit/", views.audit, name="audit"),
    path(
        "p/<slug:program>/people/<int:participant>/data.json",
        views.participant_export,
        name="participant-data",
    ),
    path(
        "p/<slug:program>/people/<int:participant>/erase/",
        views.erase,
        name="participant-erase",
    ),
]
