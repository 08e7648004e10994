from django.urls import path

from . import views

app_name = "reminders"

# Every path with a token starts with check/, confirm/ or cancel/: the log filter redacts exactly those.
urlpatterns = [
    path("check/<check_token:token>/", views.request_reminder, name="request"),
    path("check/<check_token:token>/cancel/", views.withdraw, name="withdraw"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("cancelled/", views.cancelled, name="cancelled"),
    # Notices of changes: the token comes first after check/, confirm/ or cancel/, as the log filter expects.
    path("check/<check_token:token>/changes/", views.request_changes, name="request_changes"),
    path("check/<check_token:token>/changes/cancel/", views.withdraw_changes, name="withdraw_changes"),
    path("confirm/<str:token>/changes/", views.confirm_changes, name="confirm_changes"),
    path("cancel/<str:token>/changes/", views.cancel_changes, name="cancel_changes"),
]
