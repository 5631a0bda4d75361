"""Driver diagrams: drivers and change ideas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import Permission, access_for, get_visible_or_404, require

from .. import forms, services
from ..models import (
    Driver,
    DriverKind,
    WardMeasure,
)
from ._shared import _confirm_delete, _idea, _project


@login_required
def driver_create(request, pk):
    project = _project(request, pk, edit=True)
    kind = request.GET.get("kind", DriverKind.PRIMARY)
    initial = {
        "kind": kind if kind in DriverKind.values else DriverKind.PRIMARY,
        "order": project.drivers.count() + 1,
    }
    if request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = forms.DriverForm(request.POST or None, project=project, initial=initial)
    return _driver_form(request, form, project, "Add a driver")


@login_required
def driver_edit(request, pk):
    driver = get_visible_or_404(Driver.objects.select_related("project"), request.user, pk=pk)
    project = driver.project
    require(request, Permission.EDIT_WORK, project.provider_id, project.ward_id)
    form = forms.DriverForm(request.POST or None, instance=driver, project=project)
    return _driver_form(request, form, project, "Change a driver", driver=driver)


def _driver_form(request, form, project, title, driver=None):
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"The driver “{saved.text}” has been saved.")
        if "add_another" in request.POST:
            return redirect(
                reverse("improvement:driver-create", args=[project.pk])
                + "?kind="
                + saved.kind
                + (f"&parent={saved.parent_id}" if saved.parent_id else "")
            )
        return redirect(
            reverse("improvement:project-detail", args=[project.pk]) + "#driver-diagram"
        )
    return render(
        request,
        "improvement/driver_form.html",
        {
            "page_title": title,
            "form": form,
            "project": project,
            "driver": driver,
            "back_url": reverse("improvement:project-detail", args=[project.pk]),
        },
    )


@login_required
def driver_delete(request, pk):
    driver = get_visible_or_404(Driver.objects.select_related("project"), request.user, pk=pk)
    project = driver.project
    require(request, Permission.EDIT_WORK, project.provider_id, project.ward_id)
    url = reverse("improvement:project-detail", args=[project.pk])
    children = driver.children.count()
    extra = (
        f" and its {children} secondary driver{'s' if children != 1 else ''}" if children else ""
    )
    return _confirm_delete(
        request,
        driver,
        title=f"Delete the driver “{driver.text}”?",
        body=f"This deletes the driver{extra}. Change ideas linked to it stay, unlinked.",
        cancel_url=url,
        done_url=url,
        done_message="The driver has been deleted.",
    )


@login_required
def idea_create(request, pk):
    project = _project(request, pk, edit=True)
    initial = {"driver": request.GET.get("driver")} if request.GET.get("driver") else {}
    form = forms.ChangeIdeaForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        idea = form.save()
        messages.success(request, f"The change idea “{idea.title}” has been added.")
        return redirect("improvement:idea-detail", pk=idea.pk)
    return render(
        request,
        "improvement/idea_form.html",
        {
            "page_title": "Add a change idea",
            "form": form,
            "project": project,
            "back_url": reverse("improvement:project-detail", args=[project.pk]),
        },
    )


@login_required
def idea_detail(request, pk):
    idea = _idea(request, pk)
    cycles = idea.cycles.select_related("previous").prefetch_related(
        Prefetch("measures", queryset=WardMeasure.objects.select_related("measure"))
    )
    return render(
        request,
        "improvement/idea_detail.html",
        {
            "page_title": idea.title,
            "idea": idea,
            "project": idea.project,
            "cycles": cycles,
            "evidence": services.evidence_for([idea]).get(idea.id, []),
            "can_edit": access_for(request.user).has(
                Permission.EDIT_WORK, idea.project.provider_id, idea.project.ward_id
            ),
            "back_url": reverse("improvement:project-detail", args=[idea.project_id]),
            "back_text": idea.project.title,
        },
    )


@login_required
def idea_edit(request, pk):
    idea = _idea(request, pk, edit=True)
    form = forms.ChangeIdeaForm(request.POST or None, instance=idea, project=idea.project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("improvement:idea-detail", pk=idea.pk)
    return render(
        request,
        "improvement/idea_form.html",
        {
            "page_title": f"Change “{idea.title}”",
            "form": form,
            "project": idea.project,
            "back_url": reverse("improvement:idea-detail", args=[idea.pk]),
        },
    )


@login_required
def idea_delete(request, pk):
    idea = _idea(request, pk, edit=True)
    cycles = idea.cycles.count()
    return _confirm_delete(
        request,
        idea,
        title=f"Delete the change idea “{idea.title}”?",
        body=f"This deletes the idea and its {cycles} PDSA cycle{'s' if cycles != 1 else ''}.",
        cancel_url=reverse("improvement:idea-detail", args=[idea.pk]),
        done_url=reverse("improvement:project-detail", args=[idea.project_id]),
        done_message="The change idea has been deleted.",
    )
