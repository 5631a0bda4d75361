from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("programme/", views.programme_overview, name="programme"),
    path("programme/phases/new/", views.phase_create, name="phase-create"),
    path("programme/phases/<int:pk>/edit/", views.phase_edit, name="phase-edit"),
    path("providers/", views.provider_list, name="provider-list"),
    path("providers/new/", views.provider_create, name="provider-create"),
    path("providers/<int:pk>/", views.provider_detail, name="provider-detail"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("providers/<int:provider_pk>/wards/new/", views.ward_create, name="ward-create"),
    path("wards/<int:pk>/", views.ward_detail, name="ward-detail"),
    path("wards/<int:pk>/edit/", views.ward_edit, name="ward-edit"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/roles/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
]
