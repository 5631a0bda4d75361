"""Measures: the catalogue, ward measures, their charts, phases and summaries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.csv_writer import csv_response
from coproduce.core.scoping import Permission, access_for, get_visible_or_404, require
from coproduce.programme.models import Provider
from coproduce.spc.text import format_number

from .. import forms
from ..models import (
    Measure,
    PhaseBreak,
    WardMeasure,
)
from ..readings import reading_for, readings_for, summary_counts
from ._shared import _confirm_delete, _ward


def _ward_measure(request, pk, edit=False) -> WardMeasure:
    wm = get_visible_or_404(
        WardMeasure.objects.select_related("measure", "ward", "ward__provider"), request.user, pk=pk
    )
    if edit:
        require(request, Permission.EDIT_WORK, wm.ward.provider_id, wm.ward_id)
    return wm


@login_required
def measure_catalogue(request):
    access = access_for(request.user)
    measures = (
        Measure.objects.visible_to(request.user)
        .select_related("provider", "ward")
        .annotate(wards=Count("ward_measures", distinct=True))
        .order_by("provider__name", "name")
    )
    return render(
        request,
        "improvement/measure_catalogue.html",
        {
            "page_title": "Measures",
            "catalogue": [m for m in measures if m.is_catalogue],
            "local": [m for m in measures if not m.is_catalogue],
            "manages_catalogue": access.has(Permission.MANAGE_PROGRAMME),
        },
    )


@login_required
def measure_create(request):
    require(request, Permission.MANAGE_PROGRAMME)
    form = forms.MeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, f"“{measure.name}” is now in the programme's catalogue.")
        return redirect("improvement:measure-catalogue")
    return render(
        request,
        "improvement/measure_form.html",
        {
            "page_title": "Add a measure to the catalogue",
            "form": form,
            "back_url": reverse("improvement:measure-catalogue"),
        },
    )


@login_required
def ward_measure_create(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    form = forms.MeasureForm(request.POST or None, ward=ward)
    target = forms.WardMeasureForm(request.POST or None, prefix="wm")
    target.fields.pop("active")
    if request.method == "POST" and form.is_valid() and target.is_valid():
        with transaction.atomic():
            measure = form.save()
            WardMeasure.objects.create(
                ward=ward, measure=measure, target=target.cleaned_data.get("target")
            )
        messages.success(request, f"“{measure.name}” has been added to {ward.name}.")
        return redirect("improvement:ward-summary", ward_pk=ward.pk)
    return render(
        request,
        "improvement/measure_form.html",
        {
            "page_title": f"Add a measure of {ward.name}'s own",
            "form": form,
            "target": target,
            "ward": ward,
            "back_url": reverse("improvement:ward-summary", args=[ward.pk]),
        },
    )


@login_required
def measure_edit(request, pk):
    measure = get_visible_or_404(Measure.objects.select_related("ward"), request.user, pk=pk)
    if measure.is_catalogue:
        require(request, Permission.MANAGE_PROGRAMME)
        back = reverse("improvement:measure-catalogue")
    else:
        require(request, Permission.EDIT_WORK, measure.provider_id, measure.ward_id)
        back = (
            reverse("improvement:ward-summary", args=[measure.ward_id])
            if measure.ward_id
            else reverse("improvement:measure-catalogue")
        )
    form = forms.MeasureForm(request.POST or None, instance=measure, ward=measure.ward)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect(back)
    return render(
        request,
        "improvement/measure_form.html",
        {
            "page_title": f"Change {measure.name}",
            "form": form,
            "back_url": back,
            "measure": measure,
            "in_use": measure.ward_measures.count(),
        },
    )


@login_required
def adopt_measure(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    form = forms.AdoptForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        wm = form.save()
        messages.success(request, f"{ward.name} now collects “{wm.measure.name}”.")
        return redirect("improvement:ward-summary", ward_pk=ward.pk)
    return render(
        request,
        "improvement/adopt_form.html",
        {
            "page_title": f"Adopt a measure for {ward.name}",
            "form": form,
            "ward": ward,
            "back_url": reverse("improvement:ward-summary", args=[ward.pk]),
        },
    )


def _summary_ward_measures(user):
    return WardMeasure.objects.visible_to(user).select_related("measure", "ward", "ward__provider")


@login_required
def ward_summary(request, ward_pk):
    ward = _ward(request, ward_pk)
    readings = readings_for(_summary_ward_measures(request.user).filter(ward=ward))
    return render(
        request,
        "improvement/ward_summary.html",
        {
            "page_title": f"Measures: {ward.name}",
            "ward": ward,
            "readings": readings,
            "counts": summary_counts(readings),
            "can_edit": access_for(request.user).has(
                Permission.EDIT_WORK, ward.provider_id, ward.id
            ),
            "back_url": reverse("programme:ward-detail", args=[ward.pk]),
            "back_text": ward.name,
        },
    )


@login_required
def provider_summary(request, provider_pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    wms = WardMeasure.objects.visible_to(request.user).filter(ward__provider=provider)
    readings = readings_for(
        _summary_ward_measures(request.user)
        .filter(pk__in=wms.values("pk"))
        .order_by("ward__name", "measure__name")
    )
    return render(
        request,
        "improvement/measure_summary.html",
        {
            "page_title": f"Measures: {provider.name}",
            "heading": provider.name,
            "readings": readings,
            "counts": summary_counts(readings),
            "show_provider": False,
            "back_url": reverse("programme:provider-detail", args=[provider.pk]),
            "back_text": provider.name,
        },
    )


@login_required
def programme_summary(request):
    wms = _summary_ward_measures(request.user).order_by(
        "ward__provider__name", "ward__name", "measure__name"
    )
    measure_id = request.GET.get("measure", "")
    if measure_id.isdigit():
        wms = wms.filter(measure_id=int(measure_id))
    readings = readings_for(wms)
    signals_only = request.GET.get("signals") == "1"
    if signals_only:
        readings = [r for r in readings if r.has_signal]
    return render(
        request,
        "improvement/measure_summary.html",
        {
            "page_title": "Measures across the programme",
            "heading": "Across the programme",
            "readings": readings,
            "counts": summary_counts(readings),
            "show_provider": True,
            "measures": Measure.objects.visible_to(request.user).filter(provider__isnull=True),
            "measure_id": measure_id,
            "signals_only": signals_only,
        },
    )


def _chart_context(wm):
    reading = reading_for(wm)
    rows = list(zip(reading.figures, reading.table_rows, strict=True)) if reading.result else []
    return {
        "fmt": format_number,
        "reading": reading,
        "chart_rows": {p.pk: row for p, row in rows},
        "points": reading.figures,
        "breaks": reading.breaks,
        "cycles": reading.cycles,
        "result": reading.result,
        "svg": reading.svg(),
        "summary": reading.summary,
        "rows": rows,
    }


@login_required
def ward_measure_detail(request, pk):
    wm = _ward_measure(request, pk)
    context = _chart_context(wm)
    return render(
        request,
        "improvement/ward_measure_detail.html",
        context
        | {
            "page_title": f"{wm.measure.name}: {wm.ward.name}",
            "wm": wm,
            "measure": wm.measure,
            "can_edit": access_for(request.user).has(
                Permission.EDIT_WORK, wm.ward.provider_id, wm.ward_id
            ),
            "back_url": reverse("improvement:ward-summary", args=[wm.ward_id]),
            "back_text": f"Measures: {wm.ward.name}",
        },
    )


@login_required
def ward_measure_csv(request, pk):
    wm = _ward_measure(request, pk)
    context = _chart_context(wm)
    programme = wm.ward.provider.programme
    fictional = bool(programme and programme.is_fictional)
    header = [
        "measure",
        "ward",
        "period",
        "value",
        "numerator",
        "denominator",
        "mean",
        "lower limit",
        "upper limit",
        "point type",
    ]
    if fictional:
        header.append("fictional")
    chart_rows = {p.pk: row for p, row in context["rows"]}

    def rows():
        for p in context["points"]:
            row = chart_rows.get(p.pk)
            cells = [
                wm.measure.name,
                wm.ward.name,
                p.period_start,
                _num(p.value),
                _num(p.numerator),
                _num(p.denominator),
                _num(row.mean) if row else "",
                _num(row.lower) if row else "",
                _num(row.upper) if row else "",
                row.point_type if row else "",
            ]
            yield [*cells, "yes"] if fictional else cells

    return csv_response(f"{wm.ward.name}-{wm.measure.name}", header, rows())


def _num(value) -> str:
    if value is None:
        return ""
    return (
        forms._plain(value)
        if not isinstance(value, float)
        else f"{value:.4f}".rstrip("0").rstrip(".")
    )


@login_required
def ward_measure_edit(request, pk):
    wm = _ward_measure(request, pk, edit=True)
    form = forms.WardMeasureForm(request.POST or None, instance=wm)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("improvement:ward-measure-detail", pk=wm.pk)
    return render(
        request,
        "improvement/ward_measure_form.html",
        {
            "page_title": f"Target and collection: {wm.measure.name}",
            "form": form,
            "wm": wm,
            "back_url": reverse("improvement:ward-measure-detail", args=[wm.pk]),
        },
    )


@login_required
def phase_create(request, pk):
    wm = _ward_measure(request, pk, edit=True)
    form = forms.PhaseBreakForm(request.POST or None, ward_measure=wm)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The new phase has been marked. Limits are recalculated from it.")
        return redirect("improvement:ward-measure-detail", pk=wm.pk)
    return render(
        request,
        "improvement/phase_form.html",
        {
            "page_title": "Mark a new phase",
            "form": form,
            "wm": wm,
            "back_url": reverse("improvement:ward-measure-detail", args=[wm.pk]),
        },
    )


@login_required
def phase_delete(request, pk):
    phase = get_visible_or_404(
        PhaseBreak.objects.select_related("ward_measure", "ward_measure__ward"), request.user, pk=pk
    )
    wm = phase.ward_measure
    require(request, Permission.EDIT_WORK, wm.ward.provider_id, wm.ward_id)
    url = reverse("improvement:ward-measure-detail", args=[wm.pk])
    return _confirm_delete(
        request,
        phase,
        title="Remove this phase?",
        body=f"The phase starting {phase.starts_on:%-d %B %Y} (“{phase.reason}”) is removed and "
        "the limits are worked out without it. The figures stay.",
        cancel_url=url,
        done_url=url,
        done_message="The phase has been removed.",
    )
