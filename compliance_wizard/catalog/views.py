import datetime

from django.conf import settings
from django.shortcuts import render

from . import registry


def start(request):
    chamber = getattr(request, "chamber", None)
    checklists = [
        {
            "id": c.id,
            "title": c.title.get(registry.language_for(c)),
            "summary": c.summary.get(registry.language_for(c)),
            "version": c.version,
            "hash": c.short_hash,
            "requirements": len(c.requirements),
            "questions": len(c.questions),
        }
        for c in registry.all_checklists()
        if chamber is None or chamber.offers(c.id)
    ]
    return render(request, "catalog/start.html", {"checklists": checklists})


# The day the statement below was last checked against the browser tests in tests/browser/.
ACCESSIBILITY_REVIEWED = datetime.date(2026, 11, 23)


def accessibility(request):
    """The accessibility statement (Erklärung zur Barrierefreiheit) that BITV 2.0 asks of a public body.

    Its wording lives in blocks of templates/catalog/accessibility.html, so that a chamber can
    replace any part (its contact, its federal state's enforcement body) with a template of its own.
    """
    context = {
        "contact_email": getattr(settings, "ACCESSIBILITY_CONTACT_EMAIL", ""),
        "reviewed": ACCESSIBILITY_REVIEWED,
    }
    return render(request, "catalog/accessibility.html", context)
