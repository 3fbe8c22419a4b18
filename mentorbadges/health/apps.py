from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "mentorbadges.health"
    label = "health"
