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
]
