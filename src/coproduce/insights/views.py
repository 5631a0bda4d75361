"""Public pages: insights, topics, resources, the newsletter and privacy. No account needed.

Public pages set no cookies. The forms here are for people without an account, so they
carry no CSRF cookie either (see :func:`cookieless_post`): a forged post gains an attacker
nothing, because the forms act only on an address the sender types or on a signed token
from an e-mail, and the Origin check refuses posts from other sites.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from coproduce.core.redirects import safe_next_url

from . import analytics, consent, newsletter, tokens, uploads
from .forms import DataRequestForm, InterestsForm, SignUpForm
from .models import Post, Resource, ResourceFormat, SubscriberStatus, Topic
from .rendering import render_post_body

PAGE_SIZE = 10


def cookieless_post(view):
    """Accept form posts without a CSRF cookie, but only from our own pages (Origin check)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin and origin != f"{request.scheme}://{request.get_host()}":
                raise PermissionDenied
            if not origin and request.headers.get("Sec-Fetch-Site") == "cross-site":
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _posted(request):
    """The posted data, even when empty (an empty form must show its errors)."""
    return request.POST if request.method == "POST" else None


def _public(request, template, context, status=200):
    context.setdefault("analytics_choice", analytics.choice(request))
    return render(request, template, context, status=status)


# Insights -------------------------------------------------------------------------------


def post_list(request):
    posts = Post.objects.published().for_list()
    topics = list(Topic.objects.order_by("name"))
    topic = next((t for t in topics if t.slug == request.GET.get("topic")), None)
    if topic:
        posts = posts.filter(topics=topic)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        posts = posts.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
        )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    title = "Insights"
    if topic:
        title = f"Insights about {topic.name.lower()}"
    if query:
        title = f"Insights matching ‘{query}’"
    return _public(
        request,
        "insights/post_list.html",
        {
            "page_title": title,
            "meta_description": (
                "Reflections and learning from a co-produced Mental Health Act improvement "
                "programme, written with lived experience partners."
            ),
            "page": page,
            "topics": topics,
            "topic": topic,
            "q": query,
            "query_string": params.urlencode(),
        },
    )


def post_detail(request, slug):
    post = get_object_or_404(Post.objects.published().for_list(), slug=slug)
    quotes = list(post.quotes.all())
    body_html, other_quotes = render_post_body(post, quotes)
    parts = []
    if post.series_id:
        parts = list(
            Post.objects.published().filter(series_id=post.series_id).order_by("series_part")
        )
    return _public(
        request,
        "insights/post_detail.html",
        {
            "page_title": post.title,
            "meta_description": post.summary,
            "post": post,
            "body_html": body_html,
            "other_quotes": other_quotes,
            "parts": parts,
            "back_url": reverse("insights:post-list"),
            "back_text": "All insights",
        },
    )


def topic_list(request):
    from django.db.models import Count

    topics = Topic.objects.annotate(
        post_count=Count("posts", filter=Q(posts__status="published"), distinct=True),
        resource_count=Count("resources", filter=Q(resources__is_published=True), distinct=True),
    ).order_by("name")
    return _public(
        request,
        "insights/topic_list.html",
        {
            "page_title": "Topics",
            "meta_description": "Insights and resources by topic.",
            "topics": topics,
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return _public(
        request,
        "insights/topic_detail.html",
        {
            "page_title": topic.name,
            "meta_description": topic.description or f"Insights and resources about {topic.name}.",
            "topic": topic,
            "posts": Post.objects.published().for_list().filter(topics=topic)[:20],
            "resources": Resource.objects.published()
            .filter(topics=topic)
            .prefetch_related("topics"),
            "back_url": reverse("insights:topic-list"),
            "back_text": "All topics",
        },
    )


# Resources ------------------------------------------------------------------------------


def resource_list(request):
    resources = Resource.objects.published().prefetch_related("topics")
    topics = list(Topic.objects.order_by("name"))
    topic = next((t for t in topics if t.slug == request.GET.get("topic")), None)
    if topic:
        resources = resources.filter(topics=topic)
    fmt = request.GET.get("format", "")
    if fmt in ResourceFormat.values:
        resources = resources.filter(format=fmt)
    else:
        fmt = ""
    easy_read = request.GET.get("easy_read") == "1"
    if easy_read:
        resources = resources.filter(easy_read=True)
    return _public(
        request,
        "insights/resource_list.html",
        {
            "page_title": "Resources",
            "meta_description": "Guides, templates and easy read documents from the programme.",
            "resources": resources,
            "topics": topics,
            "topic": topic,
            "formats": ResourceFormat.choices,
            "format": fmt,
            "easy_read": easy_read,
            "filtered": bool(topic or fmt or easy_read),
        },
    )


def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.published(), slug=slug)
    return _public(
        request,
        "insights/resource_detail.html",
        {
            "page_title": resource.title,
            "meta_description": resource.description[:160],
            "resource": resource,
            "back_url": reverse("insights:resource-list"),
            "back_text": "All resources",
        },
    )


def resource_download(request, slug):
    resource = get_object_or_404(Resource.objects.published(), slug=slug)
    if not resource.file:
        raise Http404("No file")
    try:
        handle = resource.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("File missing") from exc
    name = resource.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=uploads.content_type_for(name)
    )


# Newsletter -----------------------------------------------------------------------------


@cookieless_post
def newsletter_signup(request):
    form = SignUpForm(_posted(request), initial={"consent_version": consent.CURRENT_VERSION})
    if request.method == "POST" and form.is_valid():
        newsletter.sign_up(
            form.cleaned_data["email"],
            form.cleaned_data["topics"],
            form.cleaned_data["consent_version"],
            newsletter.site_url(request),
        )
        return redirect(reverse("insights:check-email"))
    return _public(
        request,
        "insights/newsletter_signup.html",
        {
            "page_title": "Get the newsletter",
            "meta_description": (
                "Choose the topics you care about and get the programme's newsletter."
            ),
            "form": form,
            "consent_version": consent.CURRENT_VERSION,
        },
    )


def check_email(request):
    about_data = request.GET.get("for") == "data"
    return _public(
        request,
        "insights/check_email.html",
        {
            "page_title": "Check your e-mail",
            "about_data": about_data,
        },
    )


def _bad_link(request):
    return _public(
        request, "insights/bad_link.html", {"page_title": "This link does not work"}, status=404
    )


@cookieless_post
def confirm(request, token):
    subscriber = tokens.read(token, "confirm")
    if subscriber is None or subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.confirm(subscriber)
        return _public(
            request,
            "insights/confirmed.html",
            {
                "page_title": "You are subscribed",
                "interests_url": reverse(
                    "insights:interests", args=[tokens.make(subscriber, "interests")]
                ),
            },
        )
    return _public(
        request,
        "insights/confirm.html",
        {
            "page_title": "Confirm your subscription",
            "subscriber": subscriber,
            "already": subscriber.status == SubscriberStatus.CONFIRMED,
            "topics": list(subscriber.topics.all()),
        },
    )


@cookieless_post
def unsubscribe(request, token):
    """The link in every e-mail. A mail app's one-click unsubscribe posts here directly."""
    subscriber = tokens.read(token, "unsubscribe")
    if subscriber is None:
        if request.method == "POST":
            # Deleted already, or a forged token: the outcome the person wants is true.
            return _public(
                request, "insights/unsubscribed.html", {"page_title": "You are unsubscribed"}
            )
        return _bad_link(request)
    if request.method == "POST":
        newsletter.unsubscribe(subscriber)
        return _public(
            request,
            "insights/unsubscribed.html",
            {
                "page_title": "You are unsubscribed",
            },
        )
    return _public(
        request,
        "insights/unsubscribe.html",
        {
            "page_title": "Unsubscribe from the newsletter",
            "already": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
            "interests_url": reverse(
                "insights:interests", args=[token_for(subscriber, "interests")]
            ),
        },
    )


def token_for(subscriber, purpose):
    return tokens.make(subscriber, purpose)


@cookieless_post
def interests(request, token):
    subscriber = tokens.read(token, "interests")
    if subscriber is None or subscriber.status != SubscriberStatus.CONFIRMED:
        return _bad_link(request)
    form = InterestsForm(
        _posted(request), initial={"topics": list(subscriber.topics.values_list("pk", flat=True))}
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        newsletter.change_interests(subscriber, form.cleaned_data["topics"])
        saved = True
    return _public(
        request,
        "insights/interests.html",
        {
            "page_title": "Change what you hear about",
            "form": form,
            "saved": saved,
            "unsubscribe_url": reverse(
                "insights:unsubscribe", args=[token_for(subscriber, "unsubscribe")]
            ),
        },
    )


@cookieless_post
def data_request(request):
    form = DataRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        newsletter.request_data(form.cleaned_data["email"], newsletter.site_url(request))
        return redirect(reverse("insights:check-email") + "?for=data")
    return _public(
        request,
        "insights/data_request.html",
        {
            "page_title": "Ask for your data",
            "form": form,
        },
    )


def your_data(request, token):
    subscriber = tokens.read(token, "data")
    if subscriber is None:
        return _bad_link(request)
    return _public(
        request,
        "insights/your_data.html",
        {
            "page_title": "Your newsletter data",
            "data": newsletter.export_data(subscriber),
            "token": token,
        },
    )


def your_data_download(request, token):
    subscriber = tokens.read(token, "data")
    if subscriber is None:
        return _bad_link(request)
    response = HttpResponse(newsletter.export_json(subscriber), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@cookieless_post
def your_data_delete(request, token):
    subscriber = tokens.read(token, "data")
    if subscriber is None:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.delete_subscriber(subscriber)
        return _public(
            request, "insights/deleted.html", {"page_title": "Your data has been deleted"}
        )
    return _public(
        request,
        "insights/your_data_delete.html",
        {
            "page_title": "Delete your data?",
            "token": token,
            "back_url": reverse("insights:your-data", args=[token]),
        },
    )


# Privacy and cookies --------------------------------------------------------------------


def privacy(request):
    return _public(
        request,
        "insights/privacy.html",
        {
            "page_title": "Privacy and cookies",
            "meta_description": (
                "What the public site collects (very little), and your cookie choice."
            ),
            "saved": request.GET.get("cookies") == "saved",
            "cookie_name": analytics.COOKIE_NAME,
        },
    )


@cookieless_post
def cookie_choice(request):
    """The banner's and the cookies page's form: works without JavaScript."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    value = {"accept": analytics.ACCEPTED, "reject": analytics.REJECTED}.get(
        request.POST.get("analytics")
    )
    target = safe_next_url(request, reverse("insights:privacy")).split("#", 1)[0]
    target += ("&" if "?" in target else "?") + "cookies=saved"
    response = redirect(target)
    if value:
        analytics.set_choice(response, request, value)
    return response


@cookieless_post
def count_view(request):
    """Called by the first-party script, only when analytics cookies were accepted."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if analytics.accepted(request):
        path = analytics.countable_path(request.POST.get("path", ""))
        if path:
            analytics.count(path)
    return HttpResponse(status=204)
