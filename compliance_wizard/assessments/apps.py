from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Stored checks: drafts while the wizard runs, finished assessments, their reports and retention."""

    name = "compliance_wizard.assessments"
    verbose_name = "Assessments"
