from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Stored checks: drafts while the wizard runs, finished assessments, their reports and retention."""

    name = "compliance_wizard.assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        from django.urls import register_converter

        from .converters import CheckTokenConverter

        # Here rather than in one URL module: the wizard's, the result's and the reminders' URLs all use it.
        register_converter(CheckTokenConverter, "check_token")
