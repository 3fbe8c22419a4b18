from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mentorbadges.reports"
    label = "reports"
