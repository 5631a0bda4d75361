from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("home/", views.home, name="home"),
    path("audit/", views.audit_log, name="audit-log"),
    path("healthcheck/", views.healthcheck, name="healthcheck"),
]
