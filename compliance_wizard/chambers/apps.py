from django.apps import AppConfig


class ChambersConfig(AppConfig):
    name = "compliance_wizard.chambers"
    label = "chambers"
    verbose_name = "Chambers (hosting tenants)"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
