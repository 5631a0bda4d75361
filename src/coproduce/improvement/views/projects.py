"""QI projects: list, create, detail, edit, delete, team members and progress scores."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.core.scoping import Permission, access_for
from coproduce.programme.models import Ward

from .. import diagram, forms
from ..models import (
    PDSACycle,
    ProgressScore,
    Project,
    ProjectMember,
)
from ._shared import ConfirmDelete, _project


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
    can_create = access.has(Permission.EDIT_WORK)
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
            "can_edit": access_for(request.user).has(
                Permission.EDIT_WORK, project.provider_id, project.ward_id
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


class ProjectDelete(ConfirmDelete):
    model = Project

    def project_of(self, obj):
        return obj

    def confirm(self, project):
        ideas = project.change_ideas.count()
        body = (
            f"This deletes the project, its driver diagram, its {ideas} change "
            f"idea{'s' if ideas != 1 else ''} and their PDSA cycles. Measures and their data stay."
        )
        cancel = reverse("improvement:project-detail", args=[project.pk])
        return f"Delete {project.title}?", body, cancel

    def get_success_message(self):
        project = self.object
        return f"“{project.title}” has been deleted."

    def get_success_url(self):
        return reverse("improvement:project-list")


project_delete = ProjectDelete.as_view()


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


class MemberRemove(ConfirmDelete):
    model = ProjectMember

    def get_queryset(self):
        return ProjectMember.objects.select_related("user", "project")

    def confirm(self, member):
        body = "They keep their role on the ward; only their place in this project team goes."
        url = reverse("improvement:project-detail", args=[member.project_id])
        return f"Remove {member.user} from the team?", body, url

    def get_success_message(self):
        member = self.object
        return f"{member.user} is no longer on the project team."

    def get_success_url(self):
        member = self.object
        return reverse("improvement:project-detail", args=[member.project_id])


member_remove = MemberRemove.as_view()


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
