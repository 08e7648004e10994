from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compliance_wizard.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment check of the mail settings)
