from django.urls import path

from . import views

app_name = "wizard"

urlpatterns = [
    path("check/<slug:checklist_id>/", views.start, name="start"),
    path("draft/<check_token:token>/", views.draft, name="draft"),
    path("draft/<check_token:token>/<slug:step>/", views.draft, name="step"),
]
