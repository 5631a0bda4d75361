"""Markdown written by people never lets a script, a handler or a javascript: link through."""

from html.parser import HTMLParser

import pytest

from coproduce.insights.rendering import render_markdown, render_post_body

from .factories import PostFactory, QuoteFactory

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    '<div onclick="alert(1)">hi</div>',
    "<svg onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
    "```\n<script>alert(1)</script>\n```",
]


class ElementCollector(HTMLParser):
    """The real elements and attributes a browser would build (escaped text is not one)."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    parser = ElementCollector()
    parser.feed(html)
    return parser.elements


SAFE_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "hr",
}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_made_harmless(text):
    html = render_markdown(text)
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, f"{tag} got through"
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not {"style", "src"} & set(attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http://", "https://", "mailto:")), href


def test_raw_html_is_shown_as_text_not_run():
    html = render_markdown("Hello <b onmouseover=x>there</b>")
    assert "<b" not in html
    assert "&lt;b" in html


def test_ordinary_markdown_survives_and_links_get_safe_rel():
    html = render_markdown(
        "## A heading\n\nSome *emphasis*, **strong** and [a link](https://example.org).\n\n"
        "- one\n- two\n\n> a quote"
    )
    assert "<h3>A heading</h3>" in html  # moved down a level: the page has the only h1
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">a link</a>' in html
    assert "<li>one</li>" in html
    assert "<blockquote>" in html


def test_quote_markers_place_only_quotes_with_permission(db):
    post = PostFactory(body="Intro\n\n[quote 1]\n\nMiddle\n\n[quote 2]\n\n[quote 9]")
    with_permission = QuoteFactory(post=post, position=1, text="Said <b>boldly</b>")
    without = QuoteFactory(post=post, position=2, text="Not agreed", permission_given_by="")
    html, leftover = render_post_body(post, [with_permission, without])
    assert "Said &lt;b&gt;boldly&lt;/b&gt;" in html  # quote text is escaped
    assert "Not agreed" not in html
    assert "[quote" not in html
    assert leftover == []
