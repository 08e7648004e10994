from django.apps import AppConfig


class WizardConfig(AppConfig):
    """The multi-step web wizard built from a checklist's steps and questions."""

    name = "compliance_wizard.wizard"
    verbose_name = "Wizard"
