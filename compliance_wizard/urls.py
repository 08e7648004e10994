from django.contrib import admin
from django.urls import include, path

from compliance_wizard.catalog import views

urlpatterns = [
    path("", views.start, name="start"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("compliance_wizard.wizard.urls")),
    path("", include("compliance_wizard.assessments.urls")),
    path("accounts/", include("compliance_wizard.accounts.urls")),
    path("workspace/", include("compliance_wizard.workspace.urls")),
    path("chambers/", include("compliance_wizard.chambers.urls")),
    path("reminders/", include("compliance_wizard.reminders.urls")),
    path("", include("compliance_wizard.chambers.public_urls")),
    path("admin/", admin.site.urls),
]

# A database that is away for a moment answers 503 "try again" instead of the 500 page.
handler500 = "compliance_wizard.views.server_error"
