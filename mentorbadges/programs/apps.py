from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "mentorbadges.programs"
    label = "programs"
