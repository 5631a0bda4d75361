app_name = "equity_web"
urlpatterns: list = []
