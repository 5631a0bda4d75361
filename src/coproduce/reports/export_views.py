"""Export pages: choose a phase (and a provider), then download CSV or Excel files.

Programme admins, coaches, provider leads and observers may export what they can read;
ward team members and partners have no reporting role and are refused (403). Every
export goes through the scoping layer (see ``exports``).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from coproduce.core import audit
from coproduce.core.scoping import Permission, require
from coproduce.programme.models import Phase, Provider
from coproduce.programme.services import current_programme

from . import exports
from .exports import EXPORTS, FORMATS, WORKBOOK, ExportFilter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FICTIONAL_NOTE = "Fictional demonstration data: every provider, ward, person and figure is made up."


ALL_DATES = "all"


class ExportFilterForm(forms.Form):
    phase = forms.ChoiceField(
        required=False,
        help_text="Each file holds the records dated within the phase.",
        error_messages={"invalid_choice": "Choose a phase from the list"},
    )
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        required=False,
        empty_label="All the providers you can see",
        error_messages={"invalid_choice": "Choose a provider from the list"},
    )

    def __init__(self, *args, user, phases, default, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default
        self.phases = {str(p.pk): p for p in phases}
        self.fields["phase"].choices = [
            (str(p.pk), f"{p.name}: {p.starts_on:%-d %B %Y} to {p.ends_on:%-d %B %Y}")
            for p in sorted(phases, key=lambda p: p.starts_on, reverse=True)
        ] + [(ALL_DATES, "All dates, every phase")]
        self.fields["provider"].queryset = Provider.objects.visible_to(user).order_by("name")

    def clean_phase(self) -> Phase | None:
        value = self.cleaned_data["phase"]
        if value == ALL_DATES:
            return None
        return self.phases.get(value, self.default)


def _filter_from(request) -> tuple[ExportFilterForm, ExportFilter | None]:
    """The form and, if it is valid, the filter it chose (the current phase by default)."""
    phases = list(Phase.objects.order_by("starts_on", "pk"))
    default = exports.default_phase(timezone.localdate(), phases)
    form = ExportFilterForm(
        request.GET or None,
        user=request.user,
        phases=phases,
        default=default,
        initial={"phase": str(default.pk) if default else ALL_DATES},
    )
    if not request.GET:
        return form, ExportFilter(phase=default)
    if not form.is_valid():
        return form, None
    return form, ExportFilter(
        phase=form.cleaned_data["phase"], provider=form.cleaned_data["provider"]
    )


def _query(flt: ExportFilter) -> str:
    params = {"phase": flt.phase.pk if flt.phase is not None else ALL_DATES}
    if flt.provider is not None:
        params["provider"] = flt.provider.pk
    return "?" + urlencode(params)


def _link(name: str, fmt: str, flt: ExportFilter) -> str:
    return reverse("reports:export", kwargs={"name": name, "fmt": fmt}) + _query(flt)


@login_required
def export_index(request):
    require(request, Permission.EXPORT_DATA)
    form, flt = _filter_from(request)
    items = []
    if flt is not None:
        items = [
            {
                "export": export,
                "csv_url": _link(export.name, "csv", flt),
                "xlsx_url": _link(export.name, "xlsx", flt),
                "csv_name": flt.filename(export.name, "csv"),
            }
            for export in EXPORTS.values()
        ]
    return render(
        request,
        "reports/exports.html",
        {
            "page_title": "Exports",
            "form": form,
            "flt": flt,
            "items": items,
            "workbook_url": _link(WORKBOOK, "xlsx", flt) if flt is not None else "",
            "definitions": exports.DEFINITIONS,
            "has_phases": len(form.phases) > 0,
            "back_url": reverse("core:home"),
            "back_text": "Home",
        },
    )


def _with_fictional_note(table):
    table.notes.append(FICTIONAL_NOTE)
    return table


@login_required
def export_download(request, name, fmt):
    require(request, Permission.EXPORT_DATA)
    if fmt not in FORMATS or not (name in EXPORTS or (name == WORKBOOK and fmt == "xlsx")):
        raise Http404("No such export")
    _form, flt = _filter_from(request)
    if flt is None:
        raise Http404("No such phase or provider")
    programme = current_programme()
    fictional = bool(programme and programme.is_fictional)
    title = "All exports" if name == WORKBOOK else EXPORTS[name].title
    record_on = flt.provider or flt.phase or programme
    if record_on is not None:
        note = f"Downloaded {title.lower()} ({fmt.upper()}), {flt.period_words}"
        audit.record_view(request.user, record_on, note)
    filename = flt.filename(name, fmt)
    if fmt == "csv":
        table = exports.build(name, request.user, flt)
        if fictional:
            _with_fictional_note(table)
        response = StreamingHttpResponse(
            exports.csv_lines(table), content_type="text/csv; charset=utf-8"
        )
    else:
        tables = (
            exports.build_all(request.user, flt)
            if name == WORKBOOK
            else [exports.build(name, request.user, flt)]
        )
        if fictional:
            tables = (_with_fictional_note(t) for t in tables)
        response = HttpResponse(exports.workbook_bytes(tables), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
