"""Core stands alone: feature apps add their parts to the layout through
``coproduce.core.layout_parts``, and core names none of them."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from coproduce.core import layout_parts

CORE = Path(__file__).resolve().parents[2] / "src" / "coproduce" / "core"
FEATURE_APPS = {
    "accounts",
    "programme",
    "coaching",
    "improvement",
    "coproduction",
    "equity_web",
    "insights",
    "reports",
}
# What core may import today: memberships and roles (scoping), the home page's own panels
# and the demo's programme live in the programme app.
CORE_MAY_IMPORT = {"programme"}


def _core_files():
    return [p for p in CORE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


APP_NAMED = r"coproduce\.insights|insights[/:]|\binsights\."


def test_no_file_in_core_mentions_the_public_site_app():
    mentions = [
        str(p.relative_to(CORE))
        for p in _core_files()
        # the app itself (its module, templates, URLs), not the permission names about it
        if re.search(
            r"coproduce\.insights|insights[/:]|\binsights\.", p.read_text(encoding="utf-8")
        )
    ]
    assert mentions == [], f"core must not name the insights app: {mentions}"


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "coproduce" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def test_core_imports_no_feature_app_but_programme():
    imports = {}
    for path in CORE.rglob("*.py"):
        found = (_imported_apps(path) & FEATURE_APPS) - CORE_MAY_IMPORT
        if found:
            imports[str(path.relative_to(CORE))] = sorted(found)
    assert imports == {}, f"core imports feature apps: {imports}"


def test_core_templates_include_no_feature_app_template():
    pattern = re.compile(r"""\{%-?\s*(?:include|extends|from|import)\s+["']([\w-]+)/""")
    found = {}
    for path in CORE.rglob("*.html"):
        folders = set(pattern.findall(path.read_text(encoding="utf-8"))) & FEATURE_APPS
        if folders:
            found[str(path.relative_to(CORE))] = sorted(folders)
    assert found == {}, f"core templates use feature apps' templates: {found}"


def test_the_import_check_finds_an_import_of_a_feature_app(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("from coproduce.reports import exports\nimport coproduce.coaching.models\n")
    assert _imported_apps(module) == {"reports", "coaching"}


@pytest.fixture
def extra_parts():
    parts = {
        "stylesheets": ["coproduce/extra-test.css"],
        "body_start": ["components/_test_body_start.html"],
        "footer_links": [layout_parts.Link("Test footer link", "core:accessibility")],
        "public_nav": [layout_parts.Link("Test public item", "core:accessibility")],
        "signed_in_nav": [
            layout_parts.Link(
                "Test admin item", "core:accessibility", show=lambda user: user.is_staff
            )
        ],
    }
    layout_parts.register(**parts)
    yield parts
    layout_parts.unregister(**parts)
    assert "Test footer link" not in [link.text for link in layout_parts.parts("footer_links")]


def test_registering_a_part_twice_adds_it_once(extra_parts):
    layout_parts.register(stylesheets=["coproduce/extra-test.css"])
    assert layout_parts.parts("stylesheets").count("coproduce/extra-test.css") == 1


def test_an_unknown_kind_of_part_is_refused():
    with pytest.raises(TypeError, match="sidebar"):
        layout_parts.register(sidebar=["x.html"])


def test_registered_parts_reach_every_page(client, world, extra_parts, settings, tmp_path):
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "_test_body_start.html").write_text(
        '<p id="test-body-start">{{ service_name }} body start</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]},
        *settings.TEMPLATES[1:],
    ]
    html = client.get(reverse("core:accessibility")).content.decode()
    assert 'href="/static/coproduce/extra-test.css"' in html
    assert '<p id="test-body-start">Coproduce body start</p>' in html
    assert "Test footer link" in html
    assert "Test public item" in html
    assert "Test admin item" not in html

    client.force_login(world.users["admin"])
    html = client.get(reverse("core:accessibility")).content.decode()
    assert "Test admin item" in html
    assert "Test public item" not in html
    client.force_login(world.users["lead"])
    assert "Test admin item" not in client.get(reverse("core:accessibility")).content.decode()


def test_the_public_site_adds_its_parts_to_the_layout(client, world):
    """What layout.html used to name itself now comes from the insights app's registration."""
    html = client.get(reverse("core:public-home")).content.decode()
    assert 'href="/static/insights/insights.css"' in html
    assert 'aria-label="Cookies on Coproduce"' in html  # the cookie banner, before a choice
    assert f'href="{reverse("insights:privacy")}"' in html
    for text, name in [
        ("Insights", "insights:post-list"),
        ("Resources", "insights:resource-list"),
        ("Newsletter", "insights:newsletter"),
    ]:
        assert f'href="{reverse(name)}"' in html, text
    assert "<h2>Learning in public</h2>" in html

    client.cookies["coproduce_analytics"] = "yes"
    html = client.get(reverse("core:public-home")).content.decode()
    assert "insights/analytics.js" in html
    assert 'aria-label="Cookies on Coproduce"' not in html

    editorial = f'href="{reverse("insights:editorial")}"'
    for role, shown in [("partner", True), ("admin", True), ("lead", False)]:
        client.force_login(world.users[role])
        assert (editorial in client.get(reverse("core:home")).content.decode()) is shown, role
