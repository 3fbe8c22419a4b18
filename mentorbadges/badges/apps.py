from django.apps import AppConfig


class BadgesConfig(AppConfig):
    name = "mentorbadges.badges"
    label = "badges"
