from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mentorbadges.api"
    label = "api"
