from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("result/<check_token:token>/", views.result, name="result"),
    path("result/<check_token:token>/report.pdf", views.report, name="report"),
    path("result/<check_token:token>/details/", views.details, name="details"),
    path("result/<check_token:token>/documents.docx", views.documents_docx, name="documents_docx"),
    path("result/<check_token:token>/delete/", views.delete, name="delete"),
    path("result/<check_token:token>/recheck/", views.recheck, name="recheck"),
]
