"""Real-browser tests: Playwright driving Chromium, with axe-core checking every page.

Chromium is found through the CHROMIUM_PATH variable (``make test`` sets it), then on the
PATH. If there is none the tests fail with a message saying what to install.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = find_chromium()
    with sync_playwright() as p:
        if path is None:
            try:
                instance = p.chromium.launch(args=CHROMIUM_ARGS)
            except Exception as exc:  # noqa: BLE001 - turned into a clear message
                pytest.fail(
                    "No Chromium found for the browser tests. Install Debian's 'chromium' "
                    "package (make test does this when run as root) or run "
                    f"'playwright install chromium'. ({exc.__class__.__name__})"
                )
        else:
            instance = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def world_live(live_server, transactional_db):
    from tests.conftest import build_world

    return build_world()


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = _new_page(browser, PHONE)
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core in the page: no WCAG 2.2 A or AA violations allowed."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run 'npm ci' (make test does this).")
    page.add_script_tag(content=AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"axe found problems on {page.url}:\n" + json.dumps(
        violations, indent=2
    )


def sign_in(page, live_server, email, password=None):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
