from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compliance_wizard.accounts"
    label = "accounts"
