from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from compliance_wizard.assessments.models import Assessment
from compliance_wizard.catalog import registry

from ..access import consultant_required, own_client
from ..actions import client_directions
from ..forms import ClientForm, NewAssessmentForm
from ..models import Client
from ..services import client_archive, client_delete, client_save, consultant_clients

PAGE_SIZE = 50
MAX_QUERY = 100


@consultant_required
def home(request: HttpRequest) -> HttpResponse:
    consultant = request.consultant
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    archived = request.GET.get("archived") == "1"
    page = Paginator(consultant_clients(consultant, query, archived), PAGE_SIZE).get_page(request.GET.get("page"))
    clients = list(page)
    lang = (get_language() or "de")[:2]
    directions = client_directions([c.pk for c in clients], lang, timezone.localdate())
    own = Assessment.objects.filter(client__consultant=consultant).select_related("client")
    # Only what the lists show: a finished check's result is some 200 KB of JSON, and its score has a column.
    shown = ("pk", "state", "updated_at", "finished_at", "score", "client__name")
    context = {
        "page": page,
        "rows": [{"client": c, "direction": directions.get(c.pk)} for c in clients],
        "query": query,
        "archived": archived,
        "in_progress": own.filter(state=Assessment.State.DRAFT).order_by("-updated_at").only(*shown)[:20],
        "recent": own.filter(state=Assessment.State.FINISHED).order_by("-finished_at").only(*shown)[:10],
    }
    return render(request, "workspace/home.html", context)


@consultant_required
def client_new(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, instance=Client(consultant=request.consultant))
    if request.method == "POST" and form.is_valid():
        client = client_save(form.instance)
        messages.success(request, _("Client “%(name)s” created.") % {"name": client.name})
        return redirect("workspace:client", pk=client.pk)
    return render(request, "workspace/client_form.html", {"form": form, "client": None})


@consultant_required
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        client_save(form.instance)
        messages.success(request, _("Changes saved."))
        return redirect("workspace:client", pk=client.pk)
    return render(request, "workspace/client_form.html", {"form": form, "client": client})


@consultant_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    checklists = registry.all_checklists()
    context = {
        "client": client,
        "assessments": client.assessments.order_by("-created_at").only(
            "pk", "client_id", "state", "created_at", "finished_at", "score"
        ),
        "new_form": NewAssessmentForm(checklists=checklists, initial={"language": "de"}),
        "single_checklist": len(checklists) == 1,
    }
    return render(request, "workspace/client_detail.html", context)


@require_POST
@consultant_required
def client_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    archive = request.POST.get("archived") == "1"
    client_archive(client, archive)
    if archive:
        messages.success(
            request, _("“%(name)s” is archived. You find it under “Archived clients”.") % {"name": client.name}
        )
    else:
        messages.success(request, _("“%(name)s” is active again.") % {"name": client.name})
    return redirect("workspace:client", pk=client.pk)


@consultant_required
def client_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = own_client(request, pk)
    if request.method == "POST":
        name = client.name
        client_delete(client)
        messages.success(
            request, _("“%(name)s” and all its checks, comments and reports are deleted.") % {"name": name}
        )
        return redirect("workspace:home")
    return render(
        request, "workspace/client_delete.html", {"client": client, "assessment_count": client.assessments.count()}
    )
