from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "compliance_wizard.reminders"
    label = "reminders"
    verbose_name = "Reminders to repeat a check (double opt-in)"

    def ready(self) -> None:
        from compliance_wizard.assessments import hooks

        from .services import assessments_held

        # The retention job keeps a check while a confirmed reminder still links to it.
        hooks.add_retention_hold(assessments_held)
