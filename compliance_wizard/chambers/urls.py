from django.urls import path

from . import views

app_name = "chambers"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("<slug:slug>/settings/", views.settings, name="settings"),
    path("<slug:slug>/settings/logo.png", views.logo, name="logo"),
    path("<slug:slug>/brand/colour.css", views.brand_css, name="brand_css"),
]
