from django.urls import path

from . import views

app_name = "coaching"
urlpatterns = [
    path("coaching/", views.session_list, name="session-list"),
    path("coaching/new/", views.session_create, name="session-create"),
    path("coaching/<int:pk>/", views.session_detail, name="session-detail"),
    path("coaching/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("coaching/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("coaching/actions/<int:pk>/done/", views.action_done, name="action-done"),
]
