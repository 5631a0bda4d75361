"""Class-based views for the pages most features repeat.

"Fetch a record the person may see, check they may change it, show a form, save, say so,
go back" and "ask before deleting, then delete". Saves and deletes go through the model,
so the audit log records them (``core.audit`` listens to the model signals).

A record another provider owns answers 404 (``get_visible_or_404``); a record the person
may see but not change answers 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from .scoping import Permission, access_for, get_visible_or_404


class ScopedObjectMixin:
    """Fetch the record named by the URL's ``pk`` and check ``permission`` on it."""

    model = None
    permission = Permission.EDIT_WORK  # asked of the object's provider and ward

    def get_queryset(self):
        return self.model.objects.all()

    def get_object(self):
        obj = get_visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        self.check_permission(obj)
        return obj

    def scope_of(self, obj) -> tuple:
        """(provider id, ward id) the permission is asked of."""
        return obj.provider_id, getattr(obj, "ward_id", None)

    def check_permission(self, obj) -> None:
        if self.permission is None:
            return
        if not access_for(self.request.user).has(self.permission, *self.scope_of(obj)):
            raise PermissionDenied


class _FormPage(LoginRequiredMixin, View):
    """One form on one page (a template extending ``components/form_page.html`` or alike)."""

    form_class = None
    template_name = None
    page_title = ""
    success_message = "Your changes have been saved."

    def get_object(self):
        raise NotImplementedError

    def get_form_kwargs(self) -> dict:
        posted = self.request.method == "POST"
        return {
            "data": self.request.POST if posted else None,
            "files": self.request.FILES if posted else None,
            "instance": self.object,
        }

    def get_form(self):
        return self.form_class(**self.get_form_kwargs())

    def get_page_title(self) -> str:
        return self.page_title

    def get_back_url(self) -> str | None:
        return None

    def get_success_url(self) -> str:
        return self.get_back_url()

    def get_success_message(self) -> str:
        return self.success_message.format(obj=self.object)

    def get_context_data(self, **kwargs) -> dict:
        # the title as it was before the form's data reached the record
        return {"page_title": self.title, "back_url": self.get_back_url(), **kwargs}

    def save(self, form):
        return form.save()

    def form_valid(self, form):
        self.object = self.save(form)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def render_form(self, form):
        return render(self.request, self.template_name, self.get_context_data(form=form))

    def setup_object(self):
        self.object = self.get_object()
        self.title = self.get_page_title()

    def get(self, request, *args, **kwargs):
        self.setup_object()
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        self.setup_object()
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        return self.render_form(form)


class AuditedCreateView(_FormPage):
    """A form that makes a new record. ``permission`` is asked "anywhere" by default;
    override ``get_object`` to return the unsaved record (for one inside a scoped parent)."""

    model = None
    permission = Permission.EDIT_WORK

    def get_object(self):
        if self.permission is not None and not access_for(self.request.user).has(self.permission):
            raise PermissionDenied
        return self.model()


class AuditedUpdateView(ScopedObjectMixin, _FormPage):
    """A form that changes a record the person may see and change."""


class AuditedDeleteView(ScopedObjectMixin, LoginRequiredMixin, View):
    """GET asks for confirmation on its own page; POST deletes, says so and redirects."""

    template_name = None
    page_title = ""
    success_message = "It has been deleted."

    def get_page_title(self) -> str:
        return self.page_title

    def get_back_url(self) -> str | None:
        return None

    def get_success_url(self) -> str:
        raise NotImplementedError

    def get_success_message(self) -> str:
        return self.success_message.format(obj=self.object)

    def get_context_data(self, **kwargs) -> dict:
        return {"page_title": self.get_page_title(), "back_url": self.get_back_url(), **kwargs}

    def delete_object(self, obj) -> None:
        obj.delete()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return render(request, self.template_name, self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        success_url = self.get_success_url()
        message = self.get_success_message()
        self.delete_object(self.object)
        messages.success(request, message)
        return redirect(success_url)
