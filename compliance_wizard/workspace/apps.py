from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "compliance_wizard.workspace"
    label = "workspace"
    verbose_name = "Consultant workspace"
