"""The programme-wide change idea library."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .. import forms, services
from ..models import (
    ChangeIdea,
    PDSACycle,
)


def _in_scope(user, ideas) -> set[int]:
    """The ideas of the page that are in the person's own scope (not only in the library)."""
    return set(
        ChangeIdea.objects.visible_to(user)
        .filter(id__in=[i.id for i in ideas])
        .values_list("id", flat=True)
    )


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
    in_scope = _in_scope(request.user, page.object_list)
    items = [
        {
            "idea": i,
            "evidence": evidence.get(i.id, []),
            "in_scope": i.id in in_scope,
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
    return render(
        request,
        "improvement/library_detail.html",
        {
            "page_title": idea.title,
            "idea": idea,
            "project": idea.project,
            "cycles": idea.cycles.order_by("number"),
            "evidence": services.evidence_for([idea]).get(idea.id, []),
            "in_scope": idea.id in _in_scope(request.user, [idea]),
            "back_url": reverse("improvement:library"),
            "back_text": "Change idea library",
        },
    )
