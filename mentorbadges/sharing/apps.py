from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "mentorbadges.sharing"
    label = "sharing"
