"""PDSA cycles: plan, do, study, act."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import Permission, access_for, get_visible_or_404, require

from .. import forms, services
from ..models import (
    PDSACycle,
    PDSATask,
)
from ._shared import ConfirmDelete, _idea


def _cycle(request, pk, edit=False) -> PDSACycle:
    cycle = get_visible_or_404(
        PDSACycle.objects.select_related(
            "change_idea",
            "change_idea__project",
            "change_idea__project__provider",
            "change_idea__project__ward",
            "previous",
        ),
        request.user,
        pk=pk,
    )
    if edit:
        project = cycle.change_idea.project
        require(request, Permission.EDIT_WORK, project.provider_id, project.ward_id)
    return cycle


BLANK_TASK_ROWS = 3


def _task_formset(request, cycle=None):
    initial = []
    if cycle is not None and cycle.pk:
        initial = [{"text": t.text, "owner": t.owner, "done": t.done} for t in cycle.tasks.all()]
    extra = [{} for _ in range(BLANK_TASK_ROWS)]
    return forms.TaskFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial + extra,
        prefix="tasks",
    )


def _save_tasks(cycle, formset):
    existing = list(cycle.tasks.all())
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("text")]
    for i, row in enumerate(rows):
        if i < len(existing):
            task = existing[i]
            if (task.text, task.owner, task.done, task.order) != (
                row["text"],
                row["owner"],
                row["done"],
                i,
            ):
                task.text, task.owner, task.done, task.order = (
                    row["text"],
                    row["owner"],
                    row["done"],
                    i,
                )
                task.save()
        else:
            PDSATask.objects.create(
                cycle=cycle, text=row["text"], owner=row["owner"], done=row["done"], order=i
            )
    for task in existing[len(rows) :]:
        task.delete()


@login_required
def cycle_create(request, pk):
    idea = _idea(request, pk, edit=True)
    latest = idea.cycles.order_by("-number").first()
    form = forms.CyclePlanForm(
        request.POST or None,
        idea=idea,
        initial={
            "start_date": date.today(),
            "previous": latest.pk if latest else None,
            "measures": list(latest.measures.values_list("pk", flat=True)) if latest else [],
        },
    )
    tasks = _task_formset(request)
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        with transaction.atomic():
            cycle = form.save(commit=False)
            cycle.number = services.next_cycle_number(idea)
            cycle.save()
            form.save_m2m()
            _save_tasks(cycle, tasks)
            if idea.status == "not_tested":
                idea.status = "testing"
                idea.save(update_fields=["status"])
        messages.success(request, f"PDSA cycle {cycle.number} has been planned.")
        return redirect("improvement:cycle-detail", pk=cycle.pk)
    return render(
        request,
        "improvement/cycle_plan.html",
        {
            "page_title": "Plan a PDSA cycle",
            "form": form,
            "tasks": tasks,
            "idea": idea,
            "back_url": reverse("improvement:idea-detail", args=[idea.pk]),
        },
    )


@login_required
def cycle_detail(request, pk):
    cycle = _cycle(request, pk)
    project = cycle.change_idea.project
    return render(
        request,
        "improvement/cycle_detail.html",
        {
            "page_title": f"PDSA cycle {cycle.number}: {cycle.change_idea.title}",
            "cycle": cycle,
            "idea": cycle.change_idea,
            "tasks": cycle.tasks.all(),
            "measures": cycle.measures.select_related("measure"),
            "people": cycle.lived_experience_people.all(),
            "next_cycles": cycle.next_cycles.all(),
            "can_edit": access_for(request.user).has(
                Permission.EDIT_WORK, project.provider_id, project.ward_id
            ),
            "back_url": reverse("improvement:idea-detail", args=[cycle.change_idea_id]),
            "back_text": cycle.change_idea.title,
        },
    )


@login_required
def cycle_plan(request, pk):
    cycle = _cycle(request, pk, edit=True)
    form = forms.CyclePlanForm(request.POST or None, instance=cycle, idea=cycle.change_idea)
    tasks = _task_formset(request, cycle)
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        with transaction.atomic():
            form.save()
            _save_tasks(cycle, tasks)
        messages.success(request, "The plan has been saved.")
        return redirect("improvement:cycle-detail", pk=cycle.pk)
    return render(
        request,
        "improvement/cycle_plan.html",
        {
            "page_title": f"Change the plan for cycle {cycle.number}",
            "form": form,
            "tasks": tasks,
            "idea": cycle.change_idea,
            "cycle": cycle,
            "back_url": reverse("improvement:cycle-detail", args=[cycle.pk]),
        },
    )


STAGES = {
    "do": (forms.CycleDoForm, "Do: record what happened"),
    "study": (forms.CycleStudyForm, "Study: compare the results with the prediction"),
    "act": (forms.CycleActForm, "Act: decide what happens next"),
}


@login_required
def cycle_stage(request, pk, stage):
    cycle = _cycle(request, pk, edit=True)
    form_class, title = STAGES[stage]
    form = form_class(request.POST or None, instance=cycle)
    tasks = list(cycle.tasks.all()) if stage == "do" else []
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            if stage == "do":
                done = set(request.POST.getlist("task_done"))
                for task in tasks:
                    if (str(task.pk) in done) != task.done:
                        task.done = str(task.pk) in done
                        task.save(update_fields=["done"])
            if stage == "act":
                services.record_act(saved)
        messages.success(
            request,
            {
                "do": "What happened has been saved.",
                "study": "The study has been saved.",
                "act": f"Decision recorded: {saved.get_act_display()}.",
            }[stage],
        )
        return redirect("improvement:cycle-detail", pk=cycle.pk)
    return render(
        request,
        "improvement/cycle_stage.html",
        {
            "page_title": title,
            "form": form,
            "cycle": cycle,
            "stage": stage,
            "tasks": tasks,
            "back_url": reverse("improvement:cycle-detail", args=[cycle.pk]),
        },
    )


class CycleDelete(ConfirmDelete):
    model = PDSACycle

    def get_queryset(self):
        return PDSACycle.objects.select_related("change_idea__project")

    def project_of(self, cycle):
        return cycle.change_idea.project

    def confirm(self, cycle):
        body = "This deletes the cycle's plan, tasks and what was recorded about it."
        cancel = reverse("improvement:cycle-detail", args=[cycle.pk])
        return f"Delete PDSA cycle {cycle.number}?", body, cancel

    def get_success_message(self):
        cycle = self.object
        return f"PDSA cycle {cycle.number} has been deleted."

    def get_success_url(self):
        cycle = self.object
        return reverse("improvement:idea-detail", args=[cycle.change_idea_id])


cycle_delete = CycleDelete.as_view()
