from django.urls import path

from mentorbadges.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_read, name="read"),
    path("email/", views.email_preference, name="email"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
