from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mentorbadges.web"
    label = "web"
