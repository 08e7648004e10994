from django.shortcuts import render
from django.utils.translation import get_language

from . import registry


def start(request):
    lang = (get_language() or "de")[:2]
    checklists = [
        {
            "id": c.id,
            "title": c.title.get(lang) if lang in c.languages else c.title.get(c.languages[0]),
            "summary": c.summary.get(lang) if lang in c.languages else c.summary.get(c.languages[0]),
            "version": c.version,
            "hash": c.short_hash,
            "requirements": len(c.requirements),
            "questions": len(c.questions),
        }
        for c in registry.all_checklists()
    ]
    return render(request, "catalog/start.html", {"checklists": checklists})
