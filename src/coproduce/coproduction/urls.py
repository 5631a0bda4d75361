from django.urls import path

from . import views

app_name = "coproduction"
P = "co-production/"
urlpatterns = [
    path(P, views.hub, name="hub"),
    path(P + "rounds/new/", views.round_create, name="round-create"),
    path(P + "rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path(P + "rounds/<int:pk>/qr-code.svg", views.round_qr, name="round-qr"),
    path(P + "rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path(P + "rounds/<int:pk>/results/", views.round_results, name="round-results"),
    path(P + "rounds/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path(P + "rounds/<int:round_pk>/review/<int:pk>/", views.action_review, name="action-review"),
    path(P + "actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("take-part/<str:token>/", views.take_part, name="take-part"),
    path(
        "take-part/<str:token>/questions/<int:step>/", views.take_part_step, name="take-part-step"
    ),
    path("take-part/<str:token>/check/", views.take_part_check, name="take-part-check"),
    path("take-part/<str:token>/thank-you/", views.take_part_done, name="take-part-done"),
    path(P + "involvement/", views.involvement_list, name="involvement-list"),
    path(P + "involvement/new/", views.involvement_create, name="involvement-create"),
    path(P + "involvement/<int:pk>/", views.involvement_detail, name="involvement-detail"),
    path(P + "involvement/<int:pk>/edit/", views.involvement_edit, name="involvement-edit"),
    path(P + "involvement/<int:pk>/delete/", views.involvement_delete, name="involvement-delete"),
    path(P + "involvement/<int:pk>/join/", views.involvement_join, name="involvement-join"),
    path(P + "involvement/<int:pk>/claim/", views.claim_create, name="claim-create"),
    path(P + "wards/<int:pk>/profile/", views.ward_profile, name="ward-profile"),
    path(P + "claims/", views.claim_list, name="claim-list"),
    path(P + "claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path(P + "claims/<int:pk>/expenses/new/", views.expense_create, name="expense-create"),
    path(P + "claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim-withdraw"),
    path(P + "claims/<int:pk>/approve/", views.claim_approve, name="claim-approve"),
    path(P + "claims/<int:pk>/paid/", views.claim_paid, name="claim-paid"),
    path(P + "claims/<int:pk>/receipts/<int:expense_pk>/", views.receipt, name="receipt"),
    path(P + "payments/", views.payments_owed, name="payments-owed"),
    path(P + "payments/rates/", views.rate_list, name="rate-list"),
    path(P + "payments/rates/new/", views.rate_create, name="rate-create"),
    path(P + "your-profile/", views.profile_edit, name="profile"),
    path(P + "your-profile/<str:kind>/", views.characteristic_edit, name="characteristic-edit"),
    path(
        P + "your-profile/<str:kind>/withdraw/",
        views.characteristic_withdraw,
        name="characteristic-withdraw",
    ),
    path(P + "partners/", views.partner_list, name="partner-list"),
    path(P + "partners/<int:pk>/", views.partner_detail, name="partner-detail"),
]
