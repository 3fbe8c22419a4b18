from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mentorbadges.privacy"
    label = "privacy"

    def ready(self) -> None:
        from mentorbadges.privacy import receivers  # noqa: F401
