"""The front end as served: the Content-Security-Policy needs no inline code, every file
the NHS stylesheet points at is there, and error pages use the NHS layout."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from coproduce.core import views

SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"
NHS_CSS = settings.REPO_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
NHS_CSS = NHS_CSS / "nhsuk-frontend.min.css"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def served_templates():
    """Every Jinja2 template a browser shows. E-mails and the PDF board report are read
    by mail programs and the PDF renderer, never under the site's policy."""
    for path in sorted(SRC.glob("*/jinja2/**/*.html")):
        relative = path.relative_to(SRC).as_posix()
        if "/email/" in relative or relative.endswith("_pdf.html"):
            continue
        yield relative, path.read_text()


def test_the_template_scan_finds_the_templates():
    names = [name for name, _ in served_templates()]
    assert "core/jinja2/layout.html" in names
    assert len(names) > 100


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script>"),
        (STYLE_ELEMENT, "a <style> element"),
        (STYLE_ATTRIBUTE, "a style= attribute"),
        (EVENT_ATTRIBUTE, "an on...= event attribute"),
    ],
)
def test_no_served_template_needs_unsafe_inline(pattern, what):
    found = [name for name, text in served_templates() if pattern.search(text)]
    assert found == [], f"{what} would be blocked by the Content-Security-Policy in {found}"


def test_the_patterns_catch_inline_code():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert STYLE_ATTRIBUTE.search('<rect style="fill:red">')
    assert not STYLE_ATTRIBUTE.search('<text font-style="italic">')
    assert EVENT_ATTRIBUTE.search('<button onclick="go()">')


def test_policy_allows_only_our_own_scripts_and_styles(client, db):
    policy = client.get(reverse("accounts:sign-in"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["font-src"] == ["'self'", "https://assets.nhs.uk"]


def test_pages_start_the_nhs_frontend_from_static_files(client, db):
    body = client.get(reverse("accounts:sign-in")).content.decode()
    assert INLINE_SCRIPT.search(body) is None
    assert '<script src="/static/coproduce/supported.js">' in body
    assert '<script type="module" src="/static/coproduce/init.js">' in body
    assert "nonce" not in body


def test_every_file_the_nhs_stylesheet_points_at_is_served(client, db):
    references = set(re.findall(r"url\(([^)]+)\)", NHS_CSS.read_text()))
    local = sorted(r.strip("'\"") for r in references if r.strip("'\"").startswith("/"))
    assert local, "the NHS stylesheet was expected to name its icons by path"
    for path in local:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == "image/svg+xml", path
    others = {r for r in references if not r.strip("'\"").startswith(("/", "data:"))}
    assert {r.split("/fonts/")[0] for r in others} == {"https://assets.nhs.uk"}


def test_the_assets_folder_serves_nothing_else(client, db):
    assert client.get("/assets/../nhsuk-frontend.min.js").status_code == 404
    assert client.get("/assets/no-such-icon.svg").status_code == 404


def test_a_form_sent_without_its_security_check_gets_the_nhs_page(world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["admin"])
    response = strict.post(reverse("programme:provider-create"), {"name": "X"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form was not sent" in body
    assert "Nothing you entered on the last page was saved." in body
    assert "nhsuk-header" in body
    assert "CSRF" not in body
    assert "Forbidden" not in body


def test_error_pages_use_the_nhs_layout(rf: RequestFactory, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    for response, heading in [
        (views.error_403(request), "You cannot see this page"),
        (views.error_404(request), "Page not found"),
        (views.error_500(request), "Sorry, there is a problem with the service"),
        (views.csrf_failure(request), "Your form was not sent"),
    ]:
        body = response.content.decode()
        assert f"<h1>{heading}</h1>" in body
        assert "nhsuk-header" in body and "nhsuk-footer" in body
        assert "/static/coproduce/init.js" in body
