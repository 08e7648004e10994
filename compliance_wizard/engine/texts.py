"""The few texts the engine itself speaks, in every supported language.

Everything about a particular checklist lives in its rule files; these are the
words shared by all checklists (yes/no options, band names, statuses). Each label is defined here
only: results store it, and the pages, the PDF and the commands show it from there.
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
    "note": {"de": "Hinweis", "en": "Note"},
}

# The same labels inside a sentence or a legend: German keeps its nouns capitalised.
STATUS_WORDS = {
    "gap": {"de": "Lücke", "en": "gap"},
    "to_clarify": {"de": "zu klären", "en": "to clarify"},
    "met": {"de": "erfüllt", "en": "met"},
    "not_applicable": {"de": "nicht relevant", "en": "not applicable"},
}

SEVERITY_LABELS = {
    "critical": {"de": "Kritisch", "en": "Critical"},
    "high": {"de": "Hoch", "en": "High"},
    "medium": {"de": "Mittel", "en": "Medium"},
    "low": {"de": "Niedrig", "en": "Low"},
    "info": STATUS_LABELS["note"],  # a note's severity is named like its status
}

# What a note carries where a requirement carries its severity; results stored before notes existed
# used it for their residual risks too.
NOTE_SEVERITY = "info"

# Shown in a template where the check does not know the value: a marked blank for the owner to fill in.
PLACEHOLDER_DEFAULTS = {
    "business_name": {"de": "[Name Ihres Betriebs]", "en": "[your business name]"},
    "website": {"de": "[Adresse Ihrer Website]", "en": "[your website address]"},
    "privacy_url": {"de": "[Adresse Ihrer Datenschutzerklärung]", "en": "[address of your privacy policy]"},
    "imprint_url": {"de": "[Adresse Ihres Impressums]", "en": "[address of your legal notice]"},
}

# The same blanks when the website is known: still to fill in, but the owner knows where to look.
PLACEHOLDER_ON_WEBSITE = {
    "privacy_url": {
        "de": "[Adresse Ihrer Datenschutzerklärung auf WEBSITE]",
        "en": "[address of your privacy policy on WEBSITE]",
    },
    "imprint_url": {"de": "[Adresse Ihres Impressums auf WEBSITE]", "en": "[address of your legal notice on WEBSITE]"},
}

# The kinds of change a checklist's changelog names (engine/changelog.py).
CHANGE_KIND_LABELS = {
    "law": {"de": "Gesetz", "en": "Law"},
    "court_decision": {"de": "Gerichtsentscheidung", "en": "Court decision"},
    "authority_guidance": {"de": "Hinweis der Aufsichtsbehörden", "en": "Guidance of the authorities"},
    "provider_terms": {"de": "Bedingungen des Anbieters", "en": "Terms of the provider"},
    "assessment": {"de": "Bewertung im Check", "en": "How the check judges"},
    "wording": {"de": "Nur Wortlaut", "en": "Wording only"},
}
