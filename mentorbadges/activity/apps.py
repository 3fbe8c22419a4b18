from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "mentorbadges.activity"
    label = "activity"
