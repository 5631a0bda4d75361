from django.urls import path

from . import views

app_name = "improvement"
urlpatterns = [
    path("improvement/", views.project_list, name="project-list"),
    path("improvement/projects/new/", views.project_create, name="project-create"),
    path("improvement/projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("improvement/projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("improvement/projects/<int:pk>/delete/", views.project_delete, name="project-delete"),
    path("improvement/projects/<int:pk>/team/add/", views.member_add, name="member-add"),
    path("improvement/team/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("improvement/projects/<int:pk>/progress/", views.score_add, name="score-add"),
    path("improvement/projects/<int:pk>/drivers/new/", views.driver_create, name="driver-create"),
    path("improvement/drivers/<int:pk>/edit/", views.driver_edit, name="driver-edit"),
    path("improvement/drivers/<int:pk>/delete/", views.driver_delete, name="driver-delete"),
    path("improvement/projects/<int:pk>/ideas/new/", views.idea_create, name="idea-create"),
    path("improvement/ideas/<int:pk>/", views.idea_detail, name="idea-detail"),
    path("improvement/ideas/<int:pk>/edit/", views.idea_edit, name="idea-edit"),
    path("improvement/ideas/<int:pk>/delete/", views.idea_delete, name="idea-delete"),
    path("improvement/ideas/<int:pk>/cycles/new/", views.cycle_create, name="cycle-create"),
    path("improvement/cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("improvement/cycles/<int:pk>/plan/", views.cycle_plan, name="cycle-plan"),
    path("improvement/cycles/<int:pk>/do/", views.cycle_stage, {"stage": "do"}, name="cycle-do"),
    path(
        "improvement/cycles/<int:pk>/study/",
        views.cycle_stage,
        {"stage": "study"},
        name="cycle-study",
    ),
    path("improvement/cycles/<int:pk>/act/", views.cycle_stage, {"stage": "act"}, name="cycle-act"),
    path("improvement/cycles/<int:pk>/delete/", views.cycle_delete, name="cycle-delete"),
    path("improvement/measures/", views.measure_catalogue, name="measure-catalogue"),
    path("improvement/measures/new/", views.measure_create, name="measure-create"),
    path("improvement/measures/<int:pk>/edit/", views.measure_edit, name="measure-edit"),
    path("improvement/measures/summary/", views.programme_summary, name="programme-summary"),
    path(
        "improvement/providers/<int:provider_pk>/measures/",
        views.provider_summary,
        name="provider-summary",
    ),
    path("improvement/wards/<int:ward_pk>/measures/", views.ward_summary, name="ward-summary"),
    path(
        "improvement/wards/<int:ward_pk>/measures/adopt/", views.adopt_measure, name="adopt-measure"
    ),
    path(
        "improvement/wards/<int:ward_pk>/measures/new/",
        views.ward_measure_create,
        name="ward-measure-create",
    ),
    path("improvement/wards/<int:ward_pk>/figures/", views.data_entry, name="data-entry"),
    path("improvement/wards/<int:ward_pk>/upload/", views.upload, name="upload"),
    path(
        "improvement/wards/<int:ward_pk>/upload/check/", views.upload_preview, name="upload-preview"
    ),
    path(
        "improvement/ward-measures/<int:pk>/", views.ward_measure_detail, name="ward-measure-detail"
    ),
    path(
        "improvement/ward-measures/<int:pk>/edit/",
        views.ward_measure_edit,
        name="ward-measure-edit",
    ),
    path(
        "improvement/ward-measures/<int:pk>/download/",
        views.ward_measure_csv,
        name="ward-measure-csv",
    ),
    path("improvement/ward-measures/<int:pk>/phases/new/", views.phase_create, name="phase-create"),
    path("improvement/phases/<int:pk>/delete/", views.phase_delete, name="phase-delete"),
    path("improvement/figures/<int:pk>/delete/", views.point_delete, name="point-delete"),
    path("improvement/library/", views.library, name="library"),
    path("improvement/library/<int:pk>/", views.library_detail, name="library-detail"),
]
