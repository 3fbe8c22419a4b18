from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mentorbadges.api"
    label = "api"

    def ready(self) -> None:
        from mentorbadges.api import webhooks
        from mentorbadges.badges.signals import awards_granted, awards_revoked

        awards_granted.connect(webhooks.on_awards_granted, dispatch_uid="api-granted")
        awards_revoked.connect(webhooks.on_awards_revoked, dispatch_uid="api-revoked")
