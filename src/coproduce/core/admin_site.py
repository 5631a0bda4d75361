"""Django admin, open to programme admins only."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig

from .scoping import Permission, access_for


class CoproduceAdminSite(AdminSite):
    site_header = "Coproduce administration"
    site_title = "Coproduce admin"

    def has_permission(self, request):
        user = request.user
        return bool(
            user.is_active and user.is_staff and access_for(user).has(Permission.MANAGE_PROGRAMME)
        )


class CoproduceAdminConfig(AdminConfig):
    default_site = "coproduce.core.admin_site.CoproduceAdminSite"
