from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentorbadges.notifications"
    label = "notifications"
