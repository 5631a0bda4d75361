from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("coproduce.core.urls")),
    path("", include("coproduce.accounts.urls")),
    path("", include("coproduce.programme.urls")),
    path("", include("coproduce.coaching.urls")),
    path("", include("coproduce.improvement.urls")),
    path("", include("coproduce.coproduction.urls")),
    path("", include("coproduce.equity_web.urls")),
    path("", include("coproduce.insights.urls")),
    path("", include("coproduce.reports.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "coproduce.core.views.error_400"
handler403 = "coproduce.core.views.error_403"
handler404 = "coproduce.core.views.error_404"
handler500 = "coproduce.core.views.error_500"
