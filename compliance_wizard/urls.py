from django.urls import path

from compliance_wizard.catalog import views

urlpatterns = [
    path("", views.start, name="start"),
]
