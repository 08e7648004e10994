"""The app's own URLs plus one view that fails, so that a test sees the real 500 page from the real server.

Django renders templates/500.html through its default handler500 only for an error it did not expect;
no view of the app fails on purpose, so the test swaps in this URL configuration for itself.
"""

from django.urls import path

from compliance_wizard.urls import urlpatterns as app_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate failure: the browser test of the 500 page")


urlpatterns = [*app_urlpatterns, path("test-failure/", fail)]
