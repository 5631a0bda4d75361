"""What feature apps add to every page, so that core needs to know none of them.

An app registers its parts once, in its ``AppConfig.ready()``::

    from coproduce.core import layout_parts

    layout_parts.register(
        stylesheets=["garden/garden.css"],
        body_start=["garden/_banner.html"],
        body_end=["garden/_counter.html"],
        footer_links=[layout_parts.Link("Garden rules", "garden:rules")],
        public_nav=[layout_parts.Link("Garden", "garden:index")],
        signed_in_nav=[layout_parts.Link("Planting", "garden:plan", show=can_plant)],
        public_home=["garden/_public_home.html"],
    )

``layout.html`` links the style sheets, includes the body-start and body-end templates
(with the page's context) and lists the footer links after core's own. The navigation
context processor shows ``public_nav`` to people who are signed out, and ``signed_in_nav``
(to those whom ``show`` lets) after the programme's sections, before People and the audit
log. The public home page includes the ``public_home`` templates. Parts keep the order
they were registered in, which is the order of ``INSTALLED_APPS``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class Link:
    """A link by URL name; ``show(user)`` says whether this person gets it."""

    text: str
    url_name: str
    show: Callable[[object], bool] = _everyone

    def href(self) -> str:
        return reverse(self.url_name)


_KINDS = (
    "stylesheets",
    "body_start",
    "body_end",
    "footer_links",
    "public_nav",
    "signed_in_nav",
    "public_home",
)
_parts: dict[str, list] = {kind: [] for kind in _KINDS}


def register(**parts: Iterable) -> None:
    """Add parts to the layout. Registering the same part twice adds it once."""
    unknown = set(parts) - set(_KINDS)
    if unknown:
        raise TypeError(f"Unknown layout parts: {sorted(unknown)}; use {list(_KINDS)}")
    for kind, items in parts.items():
        for item in items:
            if item not in _parts[kind]:
                _parts[kind].append(item)


def unregister(**parts: Iterable) -> None:
    """Take parts out again (for tests that register parts of their own)."""
    for kind, items in parts.items():
        for item in items:
            if item in _parts[kind]:
                _parts[kind].remove(item)


def parts(kind: str) -> tuple:
    """The registered parts of one kind, in registration order."""
    return tuple(_parts[kind])
