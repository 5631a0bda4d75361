from django.urls import path

from . import export_views, views

app_name = "reports"
urlpatterns = [
    path("dashboards/programme/", views.programme_dashboard, name="programme-dashboard"),
    path("dashboards/providers/<int:pk>/", views.provider_dashboard, name="provider-dashboard"),
    path("reports/providers/<int:pk>/board/", views.board_report, name="board-report"),
    path("reports/providers/<int:pk>/board.pdf", views.board_report_pdf, name="board-report-pdf"),
    path("reports/exports/", export_views.export_index, name="exports"),
    path("reports/exports/<str:name>.<str:fmt>", export_views.export_download, name="export"),
]
