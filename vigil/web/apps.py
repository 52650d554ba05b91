from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vigil.web"
    label = "web"

    def ready(self) -> None:
        # Connects the receivers that audit signing in and out.
        from vigil.web import signin  # noqa: F401
