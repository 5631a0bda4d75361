"""Helpers the quality improvement pages share: scoped fetches and the delete confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render

from coproduce.core.generic_views import AuditedDeleteView
from coproduce.core.scoping import Permission, get_visible_or_404, require
from coproduce.programme.models import Ward

from ..models import (
    ChangeIdea,
    Project,
)


def _project(request, pk, edit=False) -> Project:
    project = get_visible_or_404(
        Project.objects.select_related("provider", "ward"), request.user, pk=pk
    )
    if edit:
        require(request, Permission.EDIT_WORK, project.provider_id, project.ward_id)
    return project


def _idea(request, pk, edit=False) -> ChangeIdea:
    idea = get_visible_or_404(
        ChangeIdea.objects.select_related(
            "project", "project__provider", "project__ward", "driver"
        ),
        request.user,
        pk=pk,
    )
    if edit:
        require(request, Permission.EDIT_WORK, idea.project.provider_id, idea.project.ward_id)
    return idea


def _ward(request, pk, edit=False) -> Ward:
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    if edit:
        require(request, Permission.EDIT_WORK, ward.provider_id, ward.id)
    return ward


def _confirm_delete(request, obj, *, title, body, cancel_url, done_url, done_message):
    if request.method == "POST":
        obj.delete()
        messages.success(request, done_message)
        return redirect(done_url)
    return render(
        request,
        "improvement/confirm_delete.html",
        {"page_title": title, "body": body, "cancel_url": cancel_url, "back_url": cancel_url},
    )


class ConfirmDelete(AuditedDeleteView):
    """Delete a record of a project after confirmation; editors of the project's ward may."""

    template_name = "improvement/confirm_delete.html"

    def project_of(self, obj) -> Project:
        return obj.project

    def scope_of(self, obj) -> tuple:
        project = self.project_of(obj)
        return project.provider_id, project.ward_id

    def confirm(self, obj) -> tuple[str, str, str]:
        """The page's title, what deleting does, and where "No, go back" leads."""
        raise NotImplementedError

    def get_context_data(self, **kwargs) -> dict:
        title, body, cancel_url = self.confirm(self.object)
        return {
            "page_title": title,
            "body": body,
            "cancel_url": cancel_url,
            "back_url": cancel_url,
            **kwargs,
        }
