"""Markdown to safe HTML: CommonMark with raw HTML off, then an allow-list sanitiser.

Two layers, so a mistake in one does not let a script through: markdown-it never passes
raw HTML or ``javascript:`` links, and nh3 keeps only the tags, attributes and link
schemes listed here. Headings move down a level, so the page keeps one ``h1``.
"""

import re

import nh3
from django.utils.html import format_html
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
QUOTE_MARKER = re.compile(r"<p>\[quote (\d{1,3})\]</p>")

_md = MarkdownIt("commonmark", {"html": False})


def _shift_headings(tokens) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


def render_markdown(text: str) -> str:
    """Markdown written by people, as HTML that is safe to put in a page."""
    tokens = _md.parse(text or "")
    _shift_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def quote_html(quote) -> str:
    return format_html(
        '<figure class="app-quote"><blockquote><p>{}</p></blockquote>'
        "<figcaption>{}</figcaption></figure>",
        quote.text,
        quote.attribution,
    )


def render_post_body(post, quotes) -> tuple[str, list]:
    """The post's body with its quotes placed where ``[quote N]`` stands on its own line.

    Only quotes with a recorded permission are shown. Returns the HTML and the quotes that
    had no marker (the page shows them after the body).
    """
    html = render_markdown(post.body)
    shown = [q for q in quotes if q.has_permission]
    by_position = {q.position: q for q in shown}
    placed = set()

    def place(match):
        quote = by_position.get(int(match.group(1)))
        if quote is None:
            return ""
        placed.add(quote.pk)
        return quote_html(quote)

    html = QUOTE_MARKER.sub(place, html)
    return html, [q for q in shown if q.pk not in placed]
