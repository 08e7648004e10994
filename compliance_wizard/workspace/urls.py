from django.urls import path

from .views import account, actions, assessments, branding, changes, clients, downloads

app_name = "workspace"

urlpatterns = [
    path("", clients.home, name="home"),
    path("clients/new/", clients.client_new, name="client_new"),
    path("clients/<int:pk>/", clients.client_detail, name="client"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client_edit"),
    path("clients/<int:pk>/archive/", clients.client_archive_view, name="client_archive"),
    path("clients/<int:pk>/delete/", clients.client_delete_view, name="client_delete"),
    path("clients/<int:pk>/export/", downloads.client_export, name="client_export"),
    path("clients/<int:pk>/import/", downloads.client_import, name="client_import"),
    path("clients/<int:pk>/checks/new/", assessments.assessment_new, name="assessment_new"),
    path("checks/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path("checks/<int:pk>/send/", assessments.send_link, name="send_link"),
    path("checks/<int:pk>/repeat/", assessments.assessment_repeat, name="assessment_repeat"),
    path("checks/<int:pk>/delete/", assessments.assessment_delete_view, name="assessment_delete"),
    path("checks/<int:pk>/notes/<slug:requirement_id>/", assessments.finding_note, name="finding_note"),
    path("checks/<int:pk>/report.pdf", downloads.assessment_report, name="assessment_report"),
    path("checks/<int:pk>/export/", downloads.assessment_export, name="assessment_export"),
    path("reports.zip", downloads.reports_zip, name="reports_zip"),
    path("changes/", changes.affected, name="changes"),
    path("actions/", actions.open_actions_page, name="actions"),
    path("actions/open-actions.csv", actions.open_actions_csv, name="actions_csv"),
    path("actions/calendar-link/", actions.calendar_link, name="calendar_link"),
    path("calendar/<slug:token>.ics", actions.calendar_feed, name="calendar"),
    path("account/", account.account, name="account"),
    path("branding/", branding.branding, name="branding"),
    path("branding/logo.png", branding.branding_logo, name="branding_logo"),
]
