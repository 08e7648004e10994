from django.urls import path

from .views import ReferenceWizard

urlpatterns = [path("wizard/", ReferenceWizard.as_view(), name="wizard")]
