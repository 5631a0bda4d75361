"""Equity pages: rates by group with intervals, data entry, national benchmark, representation.

Every record is fetched through the scoping layer. Group figures are special-category data
(ethnicity, disability): each page that shows them records a view in the audit log, and
counts are only ever shown through disclosure control (see ``analysis``).
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from coproduce.core import audit, uploads
from coproduce.core.csv_writer import csv_response
from coproduce.core.scoping import Permission, access_for, get_visible_or_404, require
from coproduce.equity import read_mha_stats
from coproduce.improvement.models import Measure, WardMeasure, period_label
from coproduce.programme.models import Provider, Ward
from coproduce.programme.services import current_programme

from . import analysis, rules, services
from .forms import ENTRY_DIMENSIONS, BreakdownForm, CsvUploadForm, NationalUploadForm
from .groups import DIMENSION_LABELS
from .models import GroupFigure, NationalYear


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def _csv_response(view, name: str):
    rows = list(view.csv_rows())
    if _fictional():
        rows.insert(0, ["Fictional demonstration data"])
    return csv_response(f"{name[:80]}-equity", None, rows)


def _fictional() -> bool:
    programme = current_programme()
    return bool(programme and programme.is_fictional)


def _equity_page(
    request, *, rows, frequency, title, caption, record_on, back_url, back_text, extra=None
):
    options = services.view_options(request.GET)
    view = analysis.build(rows, frequency=frequency, id_prefix="equity", **options)
    note = f"Equity view: {view.breakdown_label.lower() if view.has_data else 'no data'}"
    if _wants_csv(request):
        if not view.has_data:
            raise Http404("No figures by group")
        audit.record_view(request.user, record_on, note + " (CSV download)")
        return _csv_response(view, title)
    audit.record_view(request.user, record_on, note)
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "page_title": f"Equity: {title}",
        "title": title,
        "caption": caption,
        "view": view,
        "frequency": frequency,
        "csv_query": query.urlencode(),
        "back_url": back_url,
        "back_text": back_text,
        "period_label": period_label,
    }
    return render(request, "equity_web/equity.html", context | (extra or {}))


# --------------------------------------------------------------------------- overview pages


@login_required
def index(request):
    """Across the programme: every measure with group figures in the wards one can see."""
    figures = GroupFigure.objects.visible_to(request.user)
    rows = services.figure_rows(figures)
    measure_ids = {r["ward_measure__measure_id"] for r in rows}
    measures = {
        m.id: m for m in Measure.objects.visible_to(request.user).filter(id__in=measure_ids)
    }
    items = services.headlines_by_measure(rows, {m.id: m.frequency for m in measures.values()})
    for item in items:
        item["measure"] = measures[item["measure_id"]]
    items.sort(key=lambda i: i["measure"].name)
    programme = current_programme()
    if rows and programme is not None:
        audit.record_view(request.user, programme, "Equity overview across the programme")
    access = access_for(request.user)
    return render(
        request,
        "equity_web/index.html",
        {
            "page_title": "Equity across the programme",
            "items": items,
            "providers": Provider.objects.visible_to(request.user).order_by("name"),
            "imports_national": access.has(Permission.MANAGE_PROGRAMME),
        },
    )


@login_required
def programme_measure(request, measure_pk):
    measure = get_object_or_404(Measure.objects.visible_to(request.user), pk=measure_pk)
    figures = GroupFigure.objects.visible_to(request.user).filter(ward_measure__measure=measure)
    wards = (
        WardMeasure.objects.visible_to(request.user)
        .filter(measure=measure, group_figures__isnull=False)
        .distinct()
        .select_related("ward", "ward__provider")
        .order_by("ward__provider__name", "ward__name")
    )
    return _equity_page(
        request,
        rows=services.figure_rows(figures),
        frequency=measure.frequency,
        title=measure.name,
        caption="All the wards you can see",
        record_on=measure,
        back_url=reverse("equity_web:index"),
        back_text="Equity across the programme",
        extra={"measure": measure, "ward_measures": wards, "scope": "programme"},
    )


@login_required
def provider(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    figures = GroupFigure.objects.visible_to(request.user).filter(
        ward_measure__ward__provider=provider
    )
    rows = services.figure_rows(figures)
    measure_ids = {r["ward_measure__measure_id"] for r in rows}
    measures = {
        m.id: m for m in Measure.objects.visible_to(request.user).filter(id__in=measure_ids)
    }
    items = services.headlines_by_measure(rows, {m.id: m.frequency for m in measures.values()})
    for item in items:
        item["measure"] = measures[item["measure_id"]]
    items.sort(key=lambda i: i["measure"].name)
    bench = services.benchmark(provider, request.GET.get("year"), request.GET.get("topic"))
    audit.record_view(request.user, provider, "Equity view of the provider")
    wards = Ward.objects.visible_to(request.user).filter(provider=provider).order_by("name")
    return render(
        request,
        "equity_web/provider.html",
        {
            "page_title": f"Equity: {provider.name}",
            "provider": provider,
            "items": items,
            "bench": bench,
            "wards": wards,
            "back_url": reverse("equity_web:index"),
            "back_text": "Equity across the programme",
        },
    )


@login_required
def provider_measure(request, pk, measure_pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    measure = get_object_or_404(Measure.objects.visible_to(request.user), pk=measure_pk)
    figures = GroupFigure.objects.visible_to(request.user).filter(
        ward_measure__ward__provider=provider, ward_measure__measure=measure
    )
    wards = (
        WardMeasure.objects.visible_to(request.user)
        .filter(measure=measure, ward__provider=provider, group_figures__isnull=False)
        .distinct()
        .select_related("ward", "ward__provider")
        .order_by("ward__name")
    )
    return _equity_page(
        request,
        rows=services.figure_rows(figures),
        frequency=measure.frequency,
        title=measure.name,
        caption=provider.name,
        record_on=provider,
        back_url=reverse("equity_web:provider", args=[provider.pk]),
        back_text=f"Equity at {provider.name}",
        extra={"measure": measure, "ward_measures": wards, "scope": "provider"},
    )


@login_required
def ward(request, pk):
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    ward_measures = list(
        WardMeasure.objects.visible_to(request.user)
        .filter(ward=ward)
        .select_related("measure")
        .order_by("measure__name")
    )
    rows = services.figure_rows(
        GroupFigure.objects.visible_to(request.user).filter(ward_measure__in=ward_measures)
    )
    by_wm: dict = {}
    for r in rows:
        by_wm.setdefault(r["ward_measure_id"], []).append(r)
    items = []
    for wm in ward_measures:
        wm_rows = by_wm.get(wm.id, [])
        view = analysis.build(wm_rows, frequency=wm.measure.frequency, with_over_time=False)
        items.append(
            {"ward_measure": wm, "has_data": view.has_data, "headline": analysis.headline(view)}
        )
    if rows:
        audit.record_view(request.user, ward, "Equity view of the ward")
    access = access_for(request.user)
    return render(
        request,
        "equity_web/ward.html",
        {
            "page_title": f"Equity: {ward.name}",
            "ward": ward,
            "items": items,
            "can_enter": access.has(Permission.ENTER_GROUP_FIGURES, ward.provider_id, ward.id),
            "back_url": reverse("equity_web:provider", args=[ward.provider_id]),
            "back_text": f"Equity at {ward.provider.name}",
        },
    )


def _ward_measure(request, pk):
    return get_visible_or_404(
        WardMeasure.objects.select_related("ward", "ward__provider", "measure"),
        request.user,
        pk=pk,
    )


@login_required
def ward_measure(request, pk):
    wm = _ward_measure(request, pk)
    figures = GroupFigure.objects.visible_to(request.user).filter(ward_measure=wm)
    return _equity_page(
        request,
        rows=services.figure_rows(figures),
        frequency=wm.measure.frequency,
        title=wm.measure.name,
        caption=f"{wm.ward.name}, {wm.ward.provider.name}",
        record_on=wm,
        back_url=reverse("equity_web:ward", args=[wm.ward_id]),
        back_text=f"Equity on {wm.ward.name}",
        extra={
            "ward_measure": wm,
            "can_enter": access_for(request.user).has(
                Permission.ENTER_GROUP_FIGURES, wm.ward.provider_id, wm.ward_id
            ),
            "scope": "ward",
        },
    )


# --------------------------------------------------------------------------- data entry


def _editable_ward_measure(request, pk):
    wm = _ward_measure(request, pk)
    require(request, Permission.ENTER_GROUP_FIGURES, wm.ward.provider_id, wm.ward_id)
    return wm


@login_required
def data(request, pk):
    """The figures as entered. Only for people who may enter them."""
    wm = _editable_ward_measure(request, pk)
    periods = list(
        GroupFigure.objects.visible_to(request.user)
        .filter(ward_measure=wm)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()
    )
    page = Paginator(periods, 6).get_page(request.GET.get("page"))
    figures = list(
        GroupFigure.objects.visible_to(request.user).filter(
            ward_measure=wm, period_start__in=list(page)
        )
    )
    by_period = {p: [] for p in page}
    for f in sorted(figures, key=lambda f: (len(f.dimensions), f.dimensions, f.group_label)):
        by_period[f.period_start].append(f)
    if figures:
        audit.record_view(request.user, wm, "Group figures as entered")
    return render(
        request,
        "equity_web/data.html",
        {
            "page_title": f"Figures by group: {wm.measure.name}",
            "ward_measure": wm,
            "by_period": by_period,
            "page": page,
            "label": lambda d: period_label(wm.measure.frequency, d),
            "back_url": reverse("equity_web:ward-measure", args=[wm.pk]),
            "back_text": "Equity view of this measure",
        },
    )


@login_required
def entry(request, pk):
    wm = _editable_ward_measure(request, pk)
    dimension = request.GET.get("dimension", "")
    if dimension not in ENTRY_DIMENSIONS:
        return render(
            request,
            "equity_web/entry_choose.html",
            {
                "page_title": "Which groups are you entering figures for?",
                "ward_measure": wm,
                "dimensions": [(d, DIMENSION_LABELS[d]) for d in ENTRY_DIMENSIONS],
                "back_url": reverse("equity_web:data", args=[wm.pk]),
            },
        )
    posted = request.POST if request.method == "POST" else None
    form = BreakdownForm(posted, ward_measure=wm, dimension=dimension)
    if request.method == "POST" and form.is_valid():
        added, replaced = services.save_figures(wm, form.items(), request.user)
        messages.success(request, _saved_message(added, replaced))
        return redirect("equity_web:data", pk=wm.pk)
    return render(
        request,
        "equity_web/entry.html",
        {
            "page_title": f"Enter figures by {DIMENSION_LABELS[dimension].lower()}",
            "ward_measure": wm,
            "form": form,
            "dimension_label": DIMENSION_LABELS[dimension],
            "back_url": reverse("equity_web:entry", args=[wm.pk]),
            "back_text": "Choose other groups",
        },
    )


def _saved_message(added, replaced) -> str:
    parts = []
    if added:
        parts.append(f"{added} {'figure' if added == 1 else 'figures'} added")
    if replaced:
        parts.append(f"{replaced} {'figure' if replaced == 1 else 'figures'} replaced")
    return (
        (", ".join(parts) + ".").capitalize()
        if parts
        else "Nothing changed: the figures were already saved."
    )


@login_required
def data_import(request, pk):
    wm = _editable_ward_measure(request, pk)
    form = (
        CsvUploadForm(request.POST, request.FILES) if request.method == "POST" else CsvUploadForm()
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            added, replaced = services.import_group_csv(wm, form.text, request.user)
        except services.FileProblems as exc:
            problems = exc.errors
            form.add_error("file", "The file could not be imported: see the problems listed")
        else:
            messages.success(request, _saved_message(added, replaced))
            return redirect("equity_web:data", pk=wm.pk)
    return render(
        request,
        "equity_web/import.html",
        {
            "page_title": "Import figures by group from a CSV file",
            "ward_measure": wm,
            "form": form,
            "problems": problems[:50],
            "more_problems": max(0, len(problems) - 50),
            "example": services.example_csv(),
            "columns": services.CSV_COLUMNS,
            "back_url": reverse("equity_web:data", args=[wm.pk]),
        },
    )


@login_required
def figure_delete(request, pk):
    figure = get_visible_or_404(
        GroupFigure.objects.select_related(
            "ward_measure", "ward_measure__ward", "ward_measure__measure"
        ),
        request.user,
        pk=pk,
    )
    wm = figure.ward_measure
    require(request, Permission.ENTER_GROUP_FIGURES, wm.ward.provider_id, wm.ward_id)
    if request.method == "POST":
        figure.delete()
        messages.success(request, "The figure has been deleted.")
        return redirect("equity_web:data", pk=wm.pk)
    return render(
        request,
        "equity_web/delete.html",
        {
            "page_title": "Delete this figure?",
            "figure": figure,
            "ward_measure": wm,
            "period": period_label(wm.measure.frequency, figure.period_start),
            "back_url": reverse("equity_web:data", args=[wm.pk]),
        },
    )


# --------------------------------------------------------------------------- representation


@login_required
def representation(request, pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=pk)
    wards = list(Ward.objects.visible_to(request.user).filter(provider=provider).order_by("name"))
    chosen = None
    ward_param = request.GET.get("ward", "")
    if ward_param:
        chosen = next((w for w in wards if str(w.pk) == ward_param), None)
    sees_provider = access_for(request.user).sees_provider_records(provider.id)
    ward_ids = [chosen.pk] if chosen else [w.pk for w in wards]
    sections = services.representation(
        ward_ids, provider.id if sees_provider and not chosen else None
    )
    audit.record_view(
        request.user, provider, "Representation of partners against people on the wards"
    )
    return render(
        request,
        "equity_web/representation.html",
        {
            "page_title": f"Who is involved, and who is on the wards: {provider.name}",
            "provider": provider,
            "wards": wards,
            "chosen": chosen,
            "sections": sections,
            "min_people": rules.MIN_PEOPLE_FOR_BREAKDOWN,
            "back_url": reverse("equity_web:provider", args=[provider.pk]),
            "back_text": f"Equity at {provider.name}",
        },
    )


# --------------------------------------------------------------------------- national figures


@login_required
def national_list(request):
    require(request, Permission.MANAGE_PROGRAMME)
    return render(
        request,
        "equity_web/national_list.html",
        {
            "page_title": "National Mental Health Act statistics",
            "years": NationalYear.objects.select_related("imported_by").order_by("-year"),
            "back_url": reverse("equity_web:index"),
            "back_text": "Equity across the programme",
        },
    )


@login_required
def national_upload(request):
    """Upload the national file. Years not yet held are stored at once; when the file holds
    years already held, the page says how many rows each holds now and in the file, and
    nothing is replaced until the admin confirms."""
    require(request, Permission.MANAGE_PROGRAMME)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _national_confirm(request)
    form = (
        NationalUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else NationalUploadForm()
    )
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["file"].name
        try:
            rows = read_mha_stats(io.StringIO(form.text))
            counts = services.import_national(rows, name, request.user)
        except services.YearsHeld as exc:
            uploads.keep_pending(
                request.user,
                services.NATIONAL_UPLOAD_KIND,
                "",
                name,
                services.rows_to_json(rows),
                {"plan": exc.plan},
            )
            return _national_confirm_page(request, name, exc.plan)
        except ValueError as exc:
            message = str(exc)
            form.add_error(
                "file", "The file could not be imported: " + message[0].lower() + message[1:]
            )
        else:
            return _national_done(request, counts)
    return render(
        request,
        "equity_web/national_upload.html",
        {
            "page_title": "Import the national Mental Health Act statistics",
            "form": form,
            "back_url": reverse("equity_web:national"),
        },
    )


def _national_done(request, counts):
    years = ", ".join(f"{year} ({n:,} rows)" for year, n in counts.items())
    messages.success(request, f"Imported {years}.")
    return redirect("equity_web:national")


def _national_confirm_page(request, name, plan):
    return render(
        request,
        "equity_web/national_confirm.html",
        {
            "page_title": "Replace years already held?",
            "file_name": name,
            "plan": plan,
            "back_url": reverse("equity_web:national-upload"),
            "back_text": "Upload a different file",
        },
    )


def _national_confirm(request):
    pending = uploads.pending_for(request.user, services.NATIONAL_UPLOAD_KIND, "")
    if pending is None:
        messages.info(request, "There is no file waiting. Upload the file again.")
        return redirect("equity_web:national-upload")
    counts = services.import_national(
        services.rows_from_json(pending.rows), pending.file_name, request.user, replace=True
    )
    uploads.discard_pending(request.user, services.NATIONAL_UPLOAD_KIND, "")
    return _national_done(request, counts)
