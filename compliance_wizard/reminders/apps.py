from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "compliance_wizard.reminders"
    label = "reminders"
    verbose_name = "Reminders to repeat a check (double opt-in)"
