from django.urls import path

from . import public

app_name = "chamber_site"

urlpatterns = [
    path("brand/colour.css", public.brand_css, name="brand_css"),
    path("brand/logo.png", public.logo, name="logo"),
]
