"""Editorial pages (signed in): posts and their quotes and reviews, topics, authors, series,
resources and newsletter issues. The rules are in ``services``, ``newsletter`` and
``permissions``; these views show forms and turn rule breaks into plain messages."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename

from coproduce.core.generic_views import (
    AuditedCreateView,
    AuditedDeleteView,
    AuditedUpdateView,
)
from coproduce.core.scoping import Permission

from . import newsletter, permissions, services
from .forms import (
    AuthorForm,
    IssueForm,
    PostForm,
    QuoteForm,
    ResourceForm,
    ReviewForm,
    SeriesForm,
    TopicForm,
)
from .models import (
    Author,
    IssueStatus,
    NewsletterIssue,
    PageViewCount,
    Post,
    PostStatus,
    Quote,
    Resource,
    Series,
    Subscriber,
    SubscriberStatus,
    Topic,
    unique_slug,
)
from .rendering import render_post_body

logger = logging.getLogger(__name__)


def _require(check, user):
    if not check(user):
        raise PermissionDenied


def _dashboard_url():
    return reverse("insights:editorial")


@login_required
def dashboard(request):
    user = request.user
    _require(permissions.can_use_editorial, user)
    is_editor = permissions.can_edit(user)
    posts = Post.objects.for_list().order_by("-updated_at")
    if not is_editor:
        posts = posts.filter(Q(authors__user=user) | Q(status=PostStatus.REVIEW)).distinct()
    posts = list(posts)
    context = {
        "page_title": "Editorial",
        "waiting": [p for p in posts if p.status == PostStatus.REVIEW],
        "drafts": [p for p in posts if p.status == PostStatus.DRAFT],
        "published": [p for p in posts if p.status == PostStatus.PUBLISHED],
    }
    if is_editor:
        context["subscriber_count"] = Subscriber.objects.filter(
            status=SubscriberStatus.CONFIRMED
        ).count()
        context["issues"] = NewsletterIssue.objects.order_by("-created_at")[:5]
        context["top_pages"] = (
            PageViewCount.objects.order_by()
            .values("path")
            .annotate(total=Sum("count"))
            .order_by("-total", "path")[:10]
        )
    return render(request, "insights/editorial/dashboard.html", context)


class _EditorsOnly:
    """Records of the public site belong to no provider: editors change them all."""

    permission = Permission.EDIT_INSIGHTS

    def get_object(self):
        _require(permissions.can_edit, self.request.user)
        return get_object_or_404(self.model, pk=self.kwargs["pk"])


# Posts -----------------------------------------------------------------------------------


def _post_for(user, pk):
    post = get_object_or_404(Post.objects.for_list(), pk=pk)
    if not permissions.can_open_post(user, post):
        raise PermissionDenied
    return post


@login_required
def post_create(request):
    _require(permissions.can_write, request.user)
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.save_post(form, request.user)
        messages.success(request, "The draft has been saved.")
        return redirect("insights:editorial-post", pk=post.pk)
    return render(
        request,
        "insights/editorial/post_form.html",
        {
            "page_title": "Write an insight",
            "form": form,
            "back_url": _dashboard_url(),
        },
    )


@login_required
def post_detail(request, pk):
    _require(permissions.can_use_editorial, request.user)
    post = _post_for(request.user, pk)
    quotes = list(post.quotes.all())
    body_html, other_quotes = render_post_body(post, quotes)
    user = request.user
    return render(
        request,
        "insights/editorial/post_detail.html",
        {
            "page_title": post.title,
            "post": post,
            "quotes": quotes,
            "body_html": body_html,
            "other_quotes": other_quotes,
            "reviews": post.reviews.select_related("reviewer"),
            "problems": services.publication_problems(post),
            "can_edit_post": permissions.can_edit_post(user, post),
            "can_review": permissions.can_review(user) and post.status == PostStatus.REVIEW,
            "back_url": _dashboard_url(),
            "back_text": "Editorial",
        },
    )


@login_required
def post_edit(request, pk):
    post = _post_for(request.user, pk)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    if post.is_published:
        messages.info(request, "Return the post to draft before changing it.")
        return redirect("insights:editorial-post", pk=post.pk)
    form = PostForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        services.save_post(form, request.user)
        messages.success(request, "Your changes have been saved.")
        return redirect("insights:editorial-post", pk=post.pk)
    return render(
        request,
        "insights/editorial/post_form.html",
        {
            "page_title": f"Change {post.title}",
            "form": form,
            "post": post,
            "back_url": reverse("insights:editorial-post", args=[post.pk]),
        },
    )


def _workflow_step(request, pk, step, done_message):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    post = _post_for(request.user, pk)
    try:
        step(post, request.user)
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message)
    return redirect("insights:editorial-post", pk=post.pk)


@login_required
def post_submit(request, pk):
    return _workflow_step(
        request,
        pk,
        services.submit_for_review,
        "The post has been sent for review. It shows in the list of posts waiting for review.",
    )


@login_required
def post_unpublish(request, pk):
    return _workflow_step(request, pk, services.return_to_draft, "The post is a draft again.")


@login_required
def post_review(request, pk):
    _require(permissions.can_review, request.user)
    post = _post_for(request.user, pk)
    if post.status != PostStatus.REVIEW:
        messages.info(request, "This post is not waiting for review.")
        return redirect("insights:editorial-post", pk=post.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review(
                post, request.user, form.cleaned_data["decision"], form.cleaned_data["comment"]
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you: your review has been recorded.")
            return redirect("insights:editorial-post", pk=post.pk)
    return render(
        request,
        "insights/editorial/post_review.html",
        {
            "page_title": f"Review {post.title}",
            "post": post,
            "form": form,
            "back_url": reverse("insights:editorial-post", args=[post.pk]),
        },
    )


@login_required
def post_publish(request, pk):
    _require(permissions.can_publish, request.user)
    post = _post_for(request.user, pk)
    problems = services.publication_problems(post)
    if request.method == "POST":
        try:
            services.publish(post, request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("insights:editorial-post", pk=post.pk)
        messages.success(request, "The post is published.")
        return redirect("insights:editorial-post", pk=post.pk)
    return render(
        request,
        "insights/editorial/post_publish.html",
        {
            "page_title": f"Publish {post.title}?",
            "post": post,
            "problems": problems,
            "back_url": reverse("insights:editorial-post", args=[post.pk]),
        },
    )


class PostDelete(_EditorsOnly, AuditedDeleteView):
    """Editors delete a post that is not published (the rule is in ``services.delete_post``)."""

    model = Post
    template_name = "insights/editorial/confirm_delete.html"

    def get_page_title(self):
        return f"Delete {self.object.title}?"

    def get_context_data(self, **kwargs):
        what = f"the post ‘{self.object.title}’ with its quotes and reviews"
        return super().get_context_data(what=what, **kwargs)

    def get_back_url(self):
        return reverse("insights:editorial-post", args=[self.object.pk])

    def get_success_url(self):
        return reverse("insights:editorial")

    def get_success_message(self):
        return f"‘{self.object.title}’ has been deleted."

    def delete_object(self, post):
        services.delete_post(post, self.request.user)

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("insights:editorial-post", pk=self.object.pk)


post_delete = PostDelete.as_view()


# Quotes ----------------------------------------------------------------------------------


def _quote_form(request, post, quote, title):
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    if post.is_published:
        messages.info(request, "Return the post to draft before changing its quotes.")
        return redirect("insights:editorial-post", pk=post.pk)
    form = QuoteForm(request.POST or None, instance=quote)
    if request.method == "POST" and form.is_valid():
        services.save_quote(form, post, request.user)
        messages.success(request, "The quote has been saved.")
        return redirect("insights:editorial-post", pk=post.pk)
    return render(
        request,
        "insights/editorial/quote_form.html",
        {
            "page_title": title,
            "form": form,
            "post": post,
            "back_url": reverse("insights:editorial-post", args=[post.pk]),
        },
    )


@login_required
def quote_create(request, pk):
    post = _post_for(request.user, pk)
    return _quote_form(request, post, Quote(post=post), "Add a quote")


@login_required
def quote_edit(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("post"), pk=pk)
    _post_for(request.user, quote.post_id)
    return _quote_form(request, quote.post, quote, f"Change the quote from {quote.attribution}")


@login_required
def quote_delete(request, pk):
    quote = get_object_or_404(Quote.objects.select_related("post"), pk=pk)
    post = _post_for(request.user, quote.post_id)
    if not permissions.can_edit_post(request.user, post):
        raise PermissionDenied
    back = reverse("insights:editorial-post", args=[post.pk])
    if request.method == "POST":
        try:
            services.delete_quote(quote, request.user)
        except services.WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The quote has been deleted.")
        return redirect(back)
    return render(
        request,
        "insights/editorial/confirm_delete.html",
        {
            "page_title": "Delete this quote?",
            "what": f"the quote credited to {quote.attribution}",
            "back_url": back,
        },
    )


# Topics, authors and series -------------------------------------------------------------


def _simple_list_and_form(
    request,
    model,
    form_class,
    template,
    title,
    instance=None,
    saved_message="Saved.",
    annotate=None,
):
    _require(permissions.can_edit, request.user)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, saved_message)
        return redirect("insights:" + _list_name(model))
    rows = model.objects.all()
    if annotate:
        rows = rows.annotate(**annotate)
    return render(
        request,
        template,
        {
            "page_title": title,
            "form": form,
            "rows": rows,
            "instance": instance,
            "back_url": _dashboard_url()
            if instance is None
            else reverse("insights:" + _list_name(model)),
            "back_text": "Editorial" if instance is None else "Back",
        },
    )


def _list_name(model):
    return {Topic: "editorial-topics", Author: "editorial-authors", Series: "editorial-series"}[
        model
    ]


@login_required
def topics(request):
    return _simple_list_and_form(
        request,
        Topic,
        TopicForm,
        "insights/editorial/topics.html",
        "Topics",
        saved_message="The topic has been saved.",
        annotate={
            "post_count": Count("posts", distinct=True),
            "subscriber_count": Count("subscribers", distinct=True),
        },
    )


@login_required
def topic_edit(request, pk):
    topic = get_object_or_404(Topic, pk=pk)
    return _simple_list_and_form(
        request,
        Topic,
        TopicForm,
        "insights/editorial/simple_form.html",
        f"Change the topic {topic.name}",
        instance=topic,
        saved_message="The topic has been saved.",
    )


@login_required
def authors(request):
    return _simple_list_and_form(
        request,
        Author,
        AuthorForm,
        "insights/editorial/authors.html",
        "Authors",
        saved_message="The author has been saved.",
        annotate={"post_count": Count("posts", distinct=True)},
    )


@login_required
def author_edit(request, pk):
    author = get_object_or_404(Author, pk=pk)
    return _simple_list_and_form(
        request,
        Author,
        AuthorForm,
        "insights/editorial/simple_form.html",
        f"Change {author.credit_name}",
        instance=author,
        saved_message="The author has been saved.",
    )


@login_required
def series_list(request):
    return _simple_list_and_form(
        request,
        Series,
        SeriesForm,
        "insights/editorial/series.html",
        "Series",
        saved_message="The series has been saved.",
        annotate={"post_count": Count("posts", distinct=True)},
    )


# Resources -------------------------------------------------------------------------------


@login_required
def resources(request):
    _require(permissions.can_edit, request.user)
    return render(
        request,
        "insights/editorial/resources.html",
        {
            "page_title": "Resources",
            "resources": Resource.objects.prefetch_related("topics").order_by("title"),
            "back_url": _dashboard_url(),
            "back_text": "Editorial",
        },
    )


class _ResourceForm:
    """Add or change a resource: a file uploaded here, or a link to one elsewhere."""

    model = Resource
    permission = Permission.EDIT_INSIGHTS
    form_class = ResourceForm
    template_name = "insights/editorial/resource_form.html"

    def save(self, form):
        resource = form.save(commit=False)
        upload = form.cleaned_data.get("upload")
        if upload:
            if resource.file:
                resource.file.delete(save=False)
            upload.name = get_valid_filename(upload.name)[-100:]
            resource.file = upload
            resource.file_size = upload.size
            resource.format = form.detected_format
            resource.link = ""
        elif resource.link and resource.file:
            resource.file.delete(save=False)
            resource.file_size = None
        if not resource.slug:
            resource.slug = unique_slug(Resource, resource.title)
        resource.save()
        form.save_m2m()
        return resource

    def get_success_message(self):
        return f"‘{self.object.title}’ has been saved."

    def get_context_data(self, **kwargs):
        return super().get_context_data(resource=self.object, **kwargs)

    def get_back_url(self):
        return reverse("insights:editorial-resources")


class ResourceCreate(_ResourceForm, AuditedCreateView):
    page_title = "Add a resource"


class ResourceEdit(_EditorsOnly, _ResourceForm, AuditedUpdateView):
    def get_page_title(self):
        return f"Change {self.object.title}"


class ResourceDelete(_EditorsOnly, AuditedDeleteView):
    """Deletes the record, and its file once the deletion is committed."""

    model = Resource
    template_name = "insights/editorial/confirm_delete.html"

    def get_page_title(self):
        return f"Delete {self.object.title}?"

    def get_context_data(self, **kwargs):
        resource = self.object
        what = f"the resource ‘{resource.title}’" + (" and its file" if resource.file else "")
        return super().get_context_data(what=what, **kwargs)

    def get_back_url(self):
        return reverse("insights:editorial-resources")

    def get_success_url(self):
        return reverse("insights:editorial-resources")

    def get_success_message(self):
        return f"‘{self.object.title}’ has been deleted."

    def delete_object(self, resource):
        name = resource.file.name if resource.file else None
        storage = resource.file.storage if resource.file else None
        resource.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


resource_create = ResourceCreate.as_view()
resource_edit = ResourceEdit.as_view()
resource_delete = ResourceDelete.as_view()


# Newsletter issues -----------------------------------------------------------------------


@login_required
def issues(request):
    _require(permissions.can_edit, request.user)
    rows = NewsletterIssue.objects.prefetch_related("topics").annotate(
        sent_count=Count("deliveries", filter=Q(deliveries__status="sent")),
        failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
    )
    topic_counts = Topic.objects.annotate(
        confirmed=Count("subscribers", filter=Q(subscribers__status=SubscriberStatus.CONFIRMED))
    ).order_by("name")
    return render(
        request,
        "insights/editorial/issues.html",
        {
            "page_title": "Newsletter",
            "issues": rows,
            "topic_counts": topic_counts,
            "subscriber_counts": {
                s.label: Subscriber.objects.filter(status=s.value).count() for s in SubscriberStatus
            },
            "back_url": _dashboard_url(),
            "back_text": "Editorial",
        },
    )


@login_required
def issue_create(request):
    _require(permissions.can_edit, request.user)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.created_by = request.user
        issue.save()
        form.save_m2m()
        messages.success(request, "The newsletter issue has been saved as a draft.")
        return redirect("insights:editorial-issue", pk=issue.pk)
    return render(
        request,
        "insights/editorial/issue_form.html",
        {
            "page_title": "Write a newsletter issue",
            "form": form,
            "back_url": reverse("insights:editorial-issues"),
        },
    )


@login_required
def issue_detail(request, pk):
    _require(permissions.can_edit, request.user)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    deliveries = issue.deliveries.order_by("-at")
    failures = list(deliveries.filter(status="failed").values("at", "error")[:50])
    return render(
        request,
        "insights/editorial/issue_detail.html",
        {
            "page_title": issue.subject,
            "issue": issue,
            "topics": issue.topics.all(),
            "posts": issue.posts.all(),
            "summary": newsletter.delivery_summary(issue),
            "waiting": newsletter.recipients(issue).count(),
            "failures": failures,
            "back_url": reverse("insights:editorial-issues"),
            "back_text": "Newsletter",
        },
    )


@login_required
def issue_edit(request, pk):
    _require(permissions.can_edit, request.user)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if issue.status != IssueStatus.DRAFT:
        messages.info(request, "This issue has been sent and cannot be changed.")
        return redirect("insights:editorial-issue", pk=issue.pk)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your changes have been saved.")
        return redirect("insights:editorial-issue", pk=issue.pk)
    return render(
        request,
        "insights/editorial/issue_form.html",
        {
            "page_title": f"Change {issue.subject}",
            "form": form,
            "issue": issue,
            "back_url": reverse("insights:editorial-issue", args=[issue.pk]),
        },
    )


@login_required
@transaction.non_atomic_requests
def issue_send(request, pk):
    """Confirm, then send. Not one big transaction: each batch of deliveries is saved as it
    goes, so what was sent is never lost if something fails part-way."""
    _require(permissions.can_edit, request.user)
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    waiting = newsletter.recipients(issue).count()
    if request.method == "POST":
        try:
            result = newsletter.send_issue(
                issue, user=request.user, base=newsletter.site_url(request)
            )
        except Exception:  # noqa: BLE001 - the person sees a plain message; details are logged
            logger.exception("Sending newsletter issue %s stopped", issue.pk)
            messages.error(
                request,
                "Sending stopped because the mail server did not answer. Everything sent so far "
                "is recorded; send again to reach the people still waiting.",
            )
        else:
            messages.success(
                request, f"Sent to {result['sent']} subscribers. {result['failed']} failed."
            )
        return redirect("insights:editorial-issue", pk=issue.pk)
    return render(
        request,
        "insights/editorial/issue_send.html",
        {
            "page_title": f"Send {issue.subject}?",
            "issue": issue,
            "waiting": waiting,
            "back_url": reverse("insights:editorial-issue", args=[issue.pk]),
        },
    )
