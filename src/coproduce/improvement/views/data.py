"""Figures: the weekly or monthly entry form and deleting a figure."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import Permission, get_visible_or_404, require
from coproduce.spc.text import format_number

from .. import forms, services
from ..models import (
    DataPoint,
    Frequency,
    WardMeasure,
    period_label,
    period_start_for,
    previous_period,
)
from ._shared import _confirm_delete, _ward


@login_required
def point_delete(request, pk):
    point = get_visible_or_404(
        DataPoint.objects.select_related(
            "ward_measure", "ward_measure__ward", "ward_measure__measure"
        ),
        request.user,
        pk=pk,
    )
    wm = point.ward_measure
    require(request, Permission.EDIT_WORK, wm.ward.provider_id, wm.ward_id)
    url = reverse("improvement:ward-measure-detail", args=[wm.pk])
    return _confirm_delete(
        request,
        point,
        title="Delete this figure?",
        body=f"{wm.measure.name}, {period_label(wm.measure.frequency, point.period_start)}: "
        f"{format_number(float(point.value))}.",
        cancel_url=url,
        done_url=url,
        done_message="The figure has been deleted.",
    )


def _existing_for(user, wms, day):
    starts = {wm.id: period_start_for(wm.measure.frequency, day) for wm in wms}
    points = DataPoint.objects.visible_to(user).filter(
        ward_measure__in=[wm.id for wm in wms], period_start__in=set(starts.values())
    )
    return {p.ward_measure_id: p for p in points if starts[p.ward_measure_id] == p.period_start}


@login_required
def data_entry(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    wms = list(
        WardMeasure.objects.visible_to(request.user)
        .filter(ward=ward, active=True)
        .select_related("measure")
        .order_by("measure__frequency", "measure__name")
    )
    default = previous_period(Frequency.WEEKLY, date.today())
    chooser = forms.PeriodChoiceForm(request.GET or None, initial={"period": default})
    day = default
    if request.GET and chooser.is_valid():
        day = chooser.cleaned_data["period"]
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("period", ""))
        except ValueError:
            day = default
    existing = _existing_for(request.user, wms, day)
    form = forms.DataEntryForm(
        request.POST or None, ward_measures=wms, existing=existing, initial={"period": day}
    )
    if request.method == "POST" and form.is_valid():
        added, replaced = services.save_rows(form.to_save, replace=True, source="the entry form")
        words = f"{added} new figure{'s' if added != 1 else ''} saved"
        if replaced:
            words += f" and {replaced} updated"
        messages.success(request, f"{words} for the period including {day:%-d %B %Y}.")
        return redirect("improvement:ward-summary", ward_pk=ward.pk)
    rows = [
        row
        | {
            "label": period_label(
                row["wm"].measure.frequency, period_start_for(row["wm"].measure.frequency, day)
            )
        }
        for row in form.rows
    ]
    return render(
        request,
        "improvement/data_entry.html",
        {
            "page_title": f"Enter figures for {ward.name}",
            "ward": ward,
            "form": form,
            "rows": rows,
            "chooser": chooser,
            "fmt": format_number,
            "day": day,
            "week": period_start_for(Frequency.WEEKLY, day),
            "back_url": reverse("improvement:ward-summary", args=[ward.pk]),
        },
    )
