from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The loaded checklists: registry, system check, commands and the start page."""

    name = "compliance_wizard.catalog"
    verbose_name = "Checklists"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the rule-file check)
