from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "compliance_wizard.workspace"
    label = "workspace"
    verbose_name = "Consultant workspace"

    def ready(self) -> None:
        from compliance_wizard.assessments import hooks

        from .services import client_report_extras

        # A client who downloads the report through the check's link gets the consultant's version too.
        hooks.add_report_extras(client_report_extras)
