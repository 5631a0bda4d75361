app_name = "coproduction"
urlpatterns: list = []
