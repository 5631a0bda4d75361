from django.urls import path

from . import views

app_name = "equity_web"
urlpatterns = [
    path("equity/", views.index, name="index"),
    path("equity/measures/<int:measure_pk>/", views.programme_measure, name="programme-measure"),
    path("equity/providers/<int:pk>/", views.provider, name="provider"),
    path(
        "equity/providers/<int:pk>/measures/<int:measure_pk>/",
        views.provider_measure,
        name="provider-measure",
    ),
    path(
        "equity/providers/<int:pk>/representation/",
        views.representation,
        name="representation",
    ),
    path("equity/wards/<int:pk>/", views.ward, name="ward"),
    path("equity/ward-measures/<int:pk>/", views.ward_measure, name="ward-measure"),
    path("equity/ward-measures/<int:pk>/figures/", views.data, name="data"),
    path("equity/ward-measures/<int:pk>/figures/new/", views.entry, name="entry"),
    path("equity/ward-measures/<int:pk>/figures/import/", views.data_import, name="import"),
    path("equity/figures/<int:pk>/delete/", views.figure_delete, name="figure-delete"),
    path("equity/national/", views.national_list, name="national"),
    path("equity/national/import/", views.national_upload, name="national-upload"),
]
