"""The few texts the engine itself speaks, in every supported language.

Everything about a particular checklist lives in its rule files; these are the
words shared by all checklists (yes/no options, band names, statuses).
"""

from __future__ import annotations

SUPPORTED_LANGUAGES = ("de", "en")

YES_NO_LABELS = {
    "yes": {"de": "Ja", "en": "Yes"},
    "no": {"de": "Nein", "en": "No"},
    "unknown": {"de": "Weiß ich nicht", "en": "I don't know"},
}

BAND_LABELS = {
    "green": {"de": "Gut aufgestellt", "en": "In good shape"},
    "amber": {"de": "Nachbessern", "en": "Needs work"},
    "red": {"de": "Dringender Handlungsbedarf", "en": "Urgent action needed"},
}

STATUS_LABELS = {
    "gap": {"de": "Lücke", "en": "Gap"},
    "to_clarify": {"de": "Zu klären", "en": "To clarify"},
    "met": {"de": "Erfüllt", "en": "Met"},
    "not_applicable": {"de": "Nicht relevant", "en": "Not applicable"},
}

SEVERITY_LABELS = {
    "critical": {"de": "Kritisch", "en": "Critical"},
    "high": {"de": "Hoch", "en": "High"},
    "medium": {"de": "Mittel", "en": "Medium"},
    "low": {"de": "Niedrig", "en": "Low"},
    "info": {"de": "Hinweis", "en": "Information"},
}

# Shown in a template when the business did not give its name or website.
PLACEHOLDER_DEFAULTS = {
    "business_name": {"de": "[Name Ihres Betriebs]", "en": "[your business name]"},
    "website": {"de": "[Adresse Ihrer Website]", "en": "[your website address]"},
}
