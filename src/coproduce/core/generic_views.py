"""Form pages and delete confirmations for scoped records, written once.

A view fetches its record through the scoping layer (another provider's record answers
404), asks ``has()`` for its permission on the record's provider and ward (403 if not),
binds the form, saves through the model (so the audit log records the change), says so
in a success message and redirects. Deleting asks for confirmation on its own page: GET
shows it, POST deletes.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from .scoping import Permission, get_visible_or_404, require


class ScopedObjectMixin:
    """Fetch ``self.kwargs["pk"]`` through ``get_visible_or_404``, then check the permission."""

    model = None  # a model with a ScopedQuerySet manager
    permission = Permission.EDIT_WORK  # asked of the object's provider and ward

    def get_queryset(self):
        return self.model.objects.all()

    def get_object(self):
        obj = get_visible_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        self.check_permission(obj)
        return obj

    def scope_of(self, obj) -> tuple:
        return obj.provider_id, getattr(obj, "ward_id", None)

    def check_permission(self, obj) -> None:
        require(self.request, self.permission, *self.scope_of(obj))


class _FormPage(LoginRequiredMixin, View):
    form_class = None
    template_name = "components/form_page.html"
    page_title = ""
    success_message = "Your changes have been saved."

    def get_form_kwargs(self) -> dict:
        return {}

    def get_page_title(self) -> str:
        return self.page_title

    def get_context(self, form) -> dict:
        return {"page_title": self.get_page_title(), "form": form}

    def save(self, form):
        return form.save()

    def get_success_message(self, obj) -> str:
        return self.success_message.format(obj=obj)

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def prepare(self) -> None:
        """Fetch and check what the page works on (``self.object``) before the form."""

    def _page(self, request, data):
        self.prepare()
        form = self.form_class(data, **self.get_form_kwargs())
        if data is not None and form.is_valid():
            obj = self.save(form)
            messages.success(request, self.get_success_message(obj))
            return redirect(self.get_success_url(obj))
        return render(request, self.template_name, self.get_context(form))

    def get(self, request, *args, **kwargs):
        return self._page(request, None)

    def post(self, request, *args, **kwargs):
        return self._page(request, request.POST)


class AuditedCreateView(_FormPage):
    """Add a record. ``permission`` is asked anywhere unless ``scope()`` names a place."""

    permission = Permission.EDIT_WORK

    def scope(self) -> tuple:
        return None, None

    def prepare(self) -> None:
        self.object = None
        require(self.request, self.permission, *self.scope())


class AuditedUpdateView(ScopedObjectMixin, _FormPage):
    """Change a scoped record through a ModelForm bound to it."""

    def prepare(self) -> None:
        self.object = self.get_object()

    def get_form_kwargs(self) -> dict:
        return {"instance": self.object}


class AuditedDeleteView(ScopedObjectMixin, LoginRequiredMixin, View):
    """Confirm on its own page (GET), delete on POST, then say so and redirect."""

    template_name = None  # the app's confirmation page
    success_message = "It has been deleted."

    def get_context(self, obj) -> dict:
        return {"page_title": f"Delete {obj}?"}

    def get_success_message(self, obj) -> str:
        return self.success_message.format(obj=obj)

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return render(request, self.template_name, self.get_context(obj))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        url, message = self.get_success_url(obj), self.get_success_message(obj)
        obj.delete()
        messages.success(request, message)
        return redirect(url)
