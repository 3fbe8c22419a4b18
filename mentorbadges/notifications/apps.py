from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentorbadges.notifications"
    label = "notifications"

    def ready(self) -> None:
        from mentorbadges.badges.signals import awards_granted, kudos_prompted
        from mentorbadges.notifications import receivers

        awards_granted.connect(
            receivers.on_awards_granted, dispatch_uid="notifications-granted"
        )
        kudos_prompted.connect(
            receivers.on_kudos_prompted, dispatch_uid="notifications-prompted"
        )
