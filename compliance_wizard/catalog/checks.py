"""A broken rule file stops runserver and every other command with the same message as validate_checklists."""

from django.core.checks import Error, register

from . import registry


@register()
def rule_files(app_configs, **kwargs):
    registry.reset()
    _, errors = registry.load()
    return [Error(str(error), id="checklists.E001") for error in errors]
