from django.shortcuts import render

from . import registry


def start(request):
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
    ]
    return render(request, "catalog/start.html", {"checklists": checklists})
