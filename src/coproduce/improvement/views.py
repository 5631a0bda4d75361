"""Quality improvement pages. Every record is fetched through the scoping layer.

Anyone who can see a project reads it; changing it needs ``can_edit_work`` on its
provider and ward (observers get 403); another provider's records answer 404.
"""

import csv
from bisect import bisect_left
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import access_for, get_visible_or_404
from coproduce.programme.models import Provider, Ward
from coproduce.spc import analyse, render_svg, summary, table_rows
from coproduce.spc.text import format_number

from . import diagram, forms, services
from .models import (
    ChangeIdea,
    DataPoint,
    Driver,
    DriverKind,
    Frequency,
    Measure,
    PDSACycle,
    PDSATask,
    PhaseBreak,
    ProgressScore,
    Project,
    ProjectMember,
    WardMeasure,
    period_label,
    period_start_for,
    previous_period,
)

UPLOAD_SESSION_KEY = "improvement-upload-{}"


# --------------------------------------------------------------------------- helpers


def _require_edit(user, provider_id, ward_id):
    if not access_for(user).can_edit_work(provider_id, ward_id):
        raise PermissionDenied


def _sees(access, provider_id, ward_id) -> bool:
    return (
        access.sees_everything
        or provider_id in access.full_provider_ids
        or (ward_id is not None and ward_id in access.ward_ids)
    )


def _project(request, pk, edit=False) -> Project:
    project = get_visible_or_404(
        Project.objects.select_related("provider", "ward"), request.user, pk=pk
    )
    if edit:
        _require_edit(request.user, project.provider_id, project.ward_id)
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
        _require_edit(request.user, idea.project.provider_id, idea.project.ward_id)
    return idea


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
        _require_edit(request.user, project.provider_id, project.ward_id)
    return cycle


def _ward(request, pk, edit=False) -> Ward:
    ward = get_visible_or_404(Ward.objects.select_related("provider"), request.user, pk=pk)
    if edit:
        _require_edit(request.user, ward.provider_id, ward.id)
    return ward


def _ward_measure(request, pk, edit=False) -> WardMeasure:
    wm = get_visible_or_404(
        WardMeasure.objects.select_related("measure", "ward", "ward__provider"), request.user, pk=pk
    )
    if edit:
        _require_edit(request.user, wm.ward.provider_id, wm.ward_id)
    return wm


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


# --------------------------------------------------------------------------- projects


@login_required
def project_list(request):
    access = access_for(request.user)
    latest_score = ProgressScore.objects.filter(project=OuterRef("pk")).order_by(
        "-recorded_on", "-id"
    )
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("provider", "ward")
        .annotate(
            score=Subquery(latest_score.values("score")[:1]),
            idea_count=Count("change_ideas", distinct=True),
        )
        .order_by("-updated_at", "title")
    )
    query = request.GET.get("q", "").strip()
    if query:
        projects = projects.filter(Q(title__icontains=query) | Q(aim_what__icontains=query))
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    can_create = access.is_admin or bool(access.edit_provider_ids or access.edit_ward_ids)
    return render(
        request,
        "improvement/project_list.html",
        {"page_title": "Improvement projects", "page": page, "q": query, "can_create": can_create},
    )


def _editable_wards(user):
    return (
        Ward.objects.editable_by(user).select_related("provider").order_by("provider__name", "name")
    )


@login_required
def project_create(request):
    wards = _editable_wards(request.user)
    if not wards.exists():
        raise PermissionDenied
    initial = {}
    if request.GET.get("ward"):
        initial["ward"] = request.GET["ward"]
    form = forms.ProjectForm(request.POST or None, wards=wards, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            project = form.save()
            ProjectMember.objects.create(
                project=project, user=request.user, role_note="Project lead"
            )
        messages.success(
            request, f"“{project.title}” has been set up. Now build its driver diagram."
        )
        return redirect("improvement:project-detail", pk=project.pk)
    return render(
        request,
        "improvement/project_form.html",
        {
            "page_title": "Start an improvement project",
            "form": form,
            "back_url": reverse("improvement:project-list"),
        },
    )


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    drivers = list(project.drivers.all())
    ideas = list(
        project.change_ideas.select_related("driver").prefetch_related(
            Prefetch("cycles", queryset=PDSACycle.objects.order_by("number"))
        )
    )
    root, loose = diagram.build_tree(project, drivers, ideas)
    svg = diagram.render_svg(root, f"Driver diagram for {project.title}") if drivers else ""
    scores = list(project.scores.select_related("recorded_by")[:20])
    return render(
        request,
        "improvement/project_detail.html",
        {
            "page_title": project.title,
            "project": project,
            "tree": root,
            "loose_ideas": loose,
            "ideas": ideas,
            "diagram_svg": svg,
            "members": project.members.select_related("user"),
            "scores": scores,
            "latest_score": scores[0] if scores else None,
            "can_edit": access_for(request.user).can_edit_work(
                project.provider_id, project.ward_id
            ),
            "back_url": reverse("improvement:project-list"),
            "back_text": "All projects",
        },
    )


@login_required
def project_edit(request, pk):
    project = _project(request, pk, edit=True)
    form = forms.ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("improvement:project-detail", pk=project.pk)
    return render(
        request,
        "improvement/project_form.html",
        {
            "page_title": f"Change {project.title}",
            "form": form,
            "project": project,
            "back_url": reverse("improvement:project-detail", args=[project.pk]),
        },
    )


@login_required
def project_delete(request, pk):
    project = _project(request, pk, edit=True)
    ideas = project.change_ideas.count()
    return _confirm_delete(
        request,
        project,
        title=f"Delete {project.title}?",
        body=f"This deletes the project, its driver diagram, its {ideas} change "
        f"idea{'s' if ideas != 1 else ''} and their PDSA cycles. Measures and their data stay.",
        cancel_url=reverse("improvement:project-detail", args=[project.pk]),
        done_url=reverse("improvement:project-list"),
        done_message=f"“{project.title}” has been deleted.",
    )


@login_required
def member_add(request, pk):
    project = _project(request, pk, edit=True)
    form = forms.ProjectMemberForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.project = project
        member.save()
        messages.success(request, f"{member.user} has joined the project team.")
        return redirect("improvement:project-detail", pk=project.pk)
    return render(
        request,
        "improvement/member_form.html",
        {
            "page_title": "Add someone to the team",
            "form": form,
            "project": project,
            "back_url": reverse("improvement:project-detail", args=[project.pk]),
        },
    )


@login_required
def member_remove(request, pk):
    member = get_visible_or_404(
        ProjectMember.objects.select_related("user", "project"), request.user, pk=pk
    )
    project = member.project
    _require_edit(request.user, project.provider_id, project.ward_id)
    url = reverse("improvement:project-detail", args=[project.pk])
    return _confirm_delete(
        request,
        member,
        title=f"Remove {member.user} from the team?",
        body="They keep their role on the ward; only their place in this project team goes.",
        cancel_url=url,
        done_url=url,
        done_message=f"{member.user} is no longer on the project team.",
    )


@login_required
def score_add(request, pk):
    project = _project(request, pk, edit=True)
    form = forms.ProgressScoreForm(request.POST or None, initial={"recorded_on": date.today()})
    if request.method == "POST" and form.is_valid():
        score = form.save(commit=False)
        score.project = project
        score.recorded_by = request.user
        score.save()
        messages.success(request, f"Progress score {score.score} recorded.")
        return redirect("improvement:project-detail", pk=project.pk)
    return render(
        request,
        "improvement/score_form.html",
        {
            "page_title": "Record a progress score",
            "form": form,
            "project": project,
            "scores": project.scores.all()[:20],
            "back_url": reverse("improvement:project-detail", args=[project.pk]),
        },
    )


# --------------------------------------------------------------------------- driver diagram


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
    _require_edit(request.user, project.provider_id, project.ward_id)
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
    _require_edit(request.user, project.provider_id, project.ward_id)
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


# --------------------------------------------------------------------------- change ideas


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
            "can_edit": access_for(request.user).can_edit_work(
                idea.project.provider_id, idea.project.ward_id
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


# --------------------------------------------------------------------------- PDSA cycles

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
            "can_edit": access_for(request.user).can_edit_work(
                project.provider_id, project.ward_id
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


@login_required
def cycle_delete(request, pk):
    cycle = _cycle(request, pk, edit=True)
    return _confirm_delete(
        request,
        cycle,
        title=f"Delete PDSA cycle {cycle.number}?",
        body="This deletes the cycle's plan, tasks and what was recorded about it.",
        cancel_url=reverse("improvement:cycle-detail", args=[cycle.pk]),
        done_url=reverse("improvement:idea-detail", args=[cycle.change_idea_id]),
        done_message=f"PDSA cycle {cycle.number} has been deleted.",
    )


# --------------------------------------------------------------------------- measures


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
            "is_admin": access.is_admin,
        },
    )


@login_required
def measure_create(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
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
    access = access_for(request.user)
    if measure.is_catalogue:
        if not access.is_admin:
            raise PermissionDenied
        back = reverse("improvement:measure-catalogue")
    else:
        _require_edit(request.user, measure.provider_id, measure.ward_id)
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


def _summary_ward_measures():
    return WardMeasure.objects.select_related("measure", "ward", "ward__provider")


@login_required
def ward_summary(request, ward_pk):
    ward = _ward(request, ward_pk)
    readings = services.readings_for(_summary_ward_measures().filter(ward=ward))
    return render(
        request,
        "improvement/ward_summary.html",
        {
            "page_title": f"Measures: {ward.name}",
            "ward": ward,
            "readings": readings,
            "counts": services.summary_counts(readings),
            "can_edit": access_for(request.user).can_edit_work(ward.provider_id, ward.id),
            "back_url": reverse("programme:ward-detail", args=[ward.pk]),
            "back_text": ward.name,
        },
    )


@login_required
def provider_summary(request, provider_pk):
    provider = get_visible_or_404(Provider.objects, request.user, pk=provider_pk)
    wms = WardMeasure.objects.visible_to(request.user).filter(ward__provider=provider)
    readings = services.readings_for(
        _summary_ward_measures()
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
            "counts": services.summary_counts(readings),
            "show_provider": False,
            "back_url": reverse("programme:provider-detail", args=[provider.pk]),
            "back_text": provider.name,
        },
    )


@login_required
def programme_summary(request):
    wms = (
        _summary_ward_measures()
        .filter(pk__in=WardMeasure.objects.visible_to(request.user).values("pk"))
        .order_by("ward__provider__name", "ward__name", "measure__name")
    )
    measure_id = request.GET.get("measure", "")
    if measure_id.isdigit():
        wms = wms.filter(measure_id=int(measure_id))
    readings = services.readings_for(wms)
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
            "counts": services.summary_counts(readings),
            "show_provider": True,
            "measures": Measure.objects.filter(provider__isnull=True),
            "measure_id": measure_id,
            "signals_only": signals_only,
        },
    )


def _chart_context(wm):
    points = list(wm.points.all())
    breaks = list(wm.phase_breaks.all())
    periods = [p.period_start for p in points]
    cycles = list(wm.cycles.select_related("change_idea").order_by("start_date", "number"))
    letters = {}
    for c in cycles:
        letters.setdefault(c.change_idea_id, chr(ord("A") + len(letters) % 26))
    for c in cycles:
        # With several change ideas on one chart, "A2" says which idea's second cycle it is.
        c.chart_label = (
            f"{letters[c.change_idea_id]}{c.number}" if len(letters) > 1 else f"PDSA {c.number}"
        )
    result = None
    svg = text = ""
    rows = []
    if len(points) >= 2:
        result = analyse(
            [float(p.value) for p in points],
            improvement=wm.measure.improvement,
            target=float(wm.target) if wm.target is not None else None,
            rebase_at=services.rebase_indices(periods, [b.starts_on for b in breaks]),
        )
        annotations = []
        for c in cycles:
            i = bisect_left(periods, period_start_for(wm.measure.frequency, c.start_date))
            if i < len(periods):
                annotations.append((i, c.chart_label))
        svg = render_svg(
            result,
            labels=periods,
            title=f"{wm.measure.name}, {wm.ward.name}",
            annotations=annotations,
            y_label=wm.measure.unit,
        )
        text = summary(result, labels=periods)
        rows = list(zip(points, table_rows(result, labels=periods), strict=True))
    return {
        "fmt": format_number,
        "chart_rows": {p.pk: row for p, row in rows},
        "points": points,
        "breaks": breaks,
        "cycles": cycles,
        "result": result,
        "svg": svg,
        "summary": text,
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
            "can_edit": access_for(request.user).can_edit_work(wm.ward.provider_id, wm.ward_id),
            "back_url": reverse("improvement:ward-summary", args=[wm.ward_id]),
            "back_text": f"Measures: {wm.ward.name}",
        },
    )


@login_required
def ward_measure_csv(request, pk):
    wm = _ward_measure(request, pk)
    context = _chart_context(wm)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = "".join(c if c.isalnum() else "-" for c in f"{wm.ward.name}-{wm.measure.name}".lower())
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
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
            "fictional",
        ]
    )
    chart_rows = {p.pk: row for p, row in context["rows"]}
    for p in context["points"]:
        row = chart_rows.get(p.pk)
        writer.writerow(
            [
                wm.measure.name,
                wm.ward.name,
                p.period_start.isoformat(),
                _num(p.value),
                _num(p.numerator),
                _num(p.denominator),
                _num(row.mean) if row else "",
                _num(row.lower) if row else "",
                _num(row.upper) if row else "",
                row.point_type if row else "",
                "yes",
            ]
        )
    return response


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
    _require_edit(request.user, wm.ward.provider_id, wm.ward_id)
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
    _require_edit(request.user, wm.ward.provider_id, wm.ward_id)
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


# --------------------------------------------------------------------------- data entry


def _existing_for(wms, day):
    starts = {wm.id: period_start_for(wm.measure.frequency, day) for wm in wms}
    points = DataPoint.objects.filter(
        ward_measure__in=[wm.id for wm in wms], period_start__in=set(starts.values())
    )
    return {p.ward_measure_id: p for p in points if starts[p.ward_measure_id] == p.period_start}


@login_required
def data_entry(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    wms = list(
        WardMeasure.objects.filter(ward=ward, active=True)
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
    existing = _existing_for(wms, day)
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


@login_required
def upload(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    parsed = None
    if request.method == "POST" and form.is_valid():
        parsed = services.parse_csv(form.text, ward)
        if not parsed.errors:
            request.session[UPLOAD_SESSION_KEY.format(ward.pk)] = {
                "name": form.cleaned_data["file"].name[:100],
                "text": form.text,
            }
            return redirect("improvement:upload-preview", ward_pk=ward.pk)
    return render(
        request,
        "improvement/upload.html",
        {
            "page_title": f"Upload figures for {ward.name}",
            "ward": ward,
            "form": form,
            "parsed": parsed,
            "error_items": [
                {"text": f"Line {line}: {reason}", "href": "#line-errors"}
                for line, reason in (parsed.errors[:5] if parsed else [])
            ],
            "max_errors": services.MAX_ERRORS_SHOWN,
            "measures": WardMeasure.objects.filter(ward=ward, active=True).select_related(
                "measure"
            ),
            "back_url": reverse("improvement:ward-summary", args=[ward.pk]),
        },
    )


@login_required
def upload_preview(request, ward_pk):
    ward = _ward(request, ward_pk, edit=True)
    key = UPLOAD_SESSION_KEY.format(ward.pk)
    stored = request.session.get(key)
    if not stored:
        messages.info(request, "There is no file waiting. Upload a CSV file first.")
        return redirect("improvement:upload", ward_pk=ward.pk)
    parsed = services.parse_csv(stored["text"], ward)
    form = forms.ConfirmImportForm(request.POST or None)
    if request.method == "POST" and not parsed.errors and form.is_valid():
        replace = form.cleaned_data["replace"]
        if parsed.replacing and not replace:
            form.add_error(
                "replace",
                f"{len(parsed.replacing)} of the figures are for periods that already have values. "
                "Tick the box to replace them, or upload a file without those periods.",
            )
        else:
            added, replaced = services.save_rows(
                parsed.rows, replace=replace, source=stored["name"]
            )
            del request.session[key]
            words = f"{added} figure{'s' if added != 1 else ''} added"
            if replaced:
                words += f" and {replaced} replaced"
            messages.success(request, f"{words} from {stored['name']}.")
            return redirect("improvement:ward-summary", ward_pk=ward.pk)
    return render(
        request,
        "improvement/upload_preview.html",
        {
            "page_title": f"Check the figures from {stored['name']}",
            "ward": ward,
            "form": form,
            "parsed": parsed,
            "file_name": stored["name"],
            "fmt": format_number,
            "back_url": reverse("improvement:upload", args=[ward.pk]),
            "back_text": "Upload another file",
        },
    )


# --------------------------------------------------------------------------- change idea library


@login_required
def library(request):
    form = forms.LibraryFilterForm(request.GET or None)
    latest_act = (
        PDSACycle.objects.filter(change_idea=OuterRef("pk")).exclude(act="").order_by("-number")
    )
    ideas = (
        ChangeIdea.objects.in_library_for(request.user)
        .select_related("project", "project__ward", "project__provider", "driver")
        .annotate(outcome=Subquery(latest_act.values("act")[:1]), cycle_count=Count("cycles"))
        .order_by("title", "pk")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"]
            ideas = ideas.filter(
                Q(title__icontains=q) | Q(description__icontains=q) | Q(project__title__icontains=q)
            )
        if data["focus_group"]:
            ideas = ideas.filter(project__focus_groups__icontains=f'"{data["focus_group"]}"')
        if data["principle"]:
            ideas = ideas.filter(project__mha_principles__icontains=f'"{data["principle"]}"')
        if data["service_type"]:
            ideas = ideas.filter(project__ward__service_type=data["service_type"])
        if data["outcome"] == "none":
            ideas = ideas.filter(outcome__isnull=True)
        elif data["outcome"]:
            ideas = ideas.filter(outcome=data["outcome"])
        if data["co_produced"]:
            ideas = ideas.filter(co_produced=True)
    page = Paginator(ideas, 20).get_page(request.GET.get("page"))
    evidence = services.evidence_for(page.object_list)
    access = access_for(request.user)
    items = [
        {
            "idea": i,
            "evidence": evidence.get(i.id, []),
            "in_scope": _sees(access, i.project.provider_id, i.project.ward_id),
        }
        for i in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "improvement/library.html",
        {
            "page_title": "Change idea library",
            "form": form,
            "page": page,
            "items": items,
            "query": query.urlencode(),
        },
    )


@login_required
def library_detail(request, pk):
    try:
        idea = (
            ChangeIdea.objects.in_library_for(request.user)
            .select_related("project", "project__ward", "project__provider", "driver")
            .get(pk=pk)
        )
    except (ChangeIdea.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc
    access = access_for(request.user)
    return render(
        request,
        "improvement/library_detail.html",
        {
            "page_title": idea.title,
            "idea": idea,
            "project": idea.project,
            "cycles": idea.cycles.order_by("number"),
            "evidence": services.evidence_for([idea]).get(idea.id, []),
            "in_scope": _sees(access, idea.project.provider_id, idea.project.ward_id),
            "back_url": reverse("improvement:library"),
            "back_text": "Change idea library",
        },
    )
