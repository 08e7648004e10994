from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("result/<str:token>/", views.result, name="result"),
    path("result/<str:token>/report.pdf", views.report, name="report"),
    path("result/<str:token>/delete/", views.delete, name="delete"),
]
