import logging

from django.apps import AppConfig


class ReportConfig(AppConfig):
    """The PDF report: template, locked-down URL fetcher and renderer."""

    name = "compliance_wizard.report"
    verbose_name = "Report"

    def ready(self) -> None:
        # Without HarfBuzz-Subset, WeasyPrint subsets our fonts with fontTools, which logs every
        # glyph list at INFO: keep that out of the logs unless someone configured it on purpose.
        fonttools = logging.getLogger("fontTools")
        if fonttools.level == logging.NOTSET:
            fonttools.setLevel(logging.WARNING)
