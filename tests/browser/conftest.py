"""Real-browser tests: Playwright driving Chromium, with axe-core checking every page.

Chromium is found through the CHROMIUM_PATH variable (``make test`` sets it), then on the
PATH. If there is none the tests fail with a message saying what to install.

Pages run under the site's own Content-Security-Policy, as served. Each page fixture
records console errors, policy violations and uncaught script errors, and the test fails
at the end if there was any (see ``BrowserProblems``).
"""

import functools
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

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


# Tells the test about every Content-Security-Policy violation on every page it opens.
REPORT_VIOLATIONS_JS = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportPolicyViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || 'an inline script or style'}`
    + ` on ${event.documentURI} (line ${event.lineNumber})`
  )
})
"""


LOCAL_HOSTS = {"localhost", "127.0.0.1"}  # where pytest-django's live server answers


class BrowserProblems:
    """What went wrong in the browser during a test: console errors, policy violations,
    uncaught script errors and requests to other sites (only the NHS fonts may be asked
    for). Any of them fails the test at teardown.

    A console error about the page's own address is left out: a test that opens a missing
    page gets a 404 on purpose and checks what the page says.
    """

    def __init__(self, page):
        self.problems: list[str] = []
        self.documents: set[str] = set()
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("request", self.on_request)
        page.expose_function(
            "reportPolicyViolation", lambda text: self.problems.append(f"CSP: {text}")
        )
        page.add_init_script(REPORT_VIOLATIONS_JS)

    def on_request(self, request):
        if request.is_navigation_request():
            self.documents.add(request.url)
        address = urlsplit(request.url)
        elsewhere = address.scheme in ("http", "https") and address.hostname not in LOCAL_HOSTS
        if elsewhere and not request.url.startswith(f"{settings.NHS_FONT_HOST}/fonts/"):
            self.problems.append(f"request to another site: {request.url}")

    def on_console(self, message):
        if message.type != "error":
            return
        if message.location.get("url") in self.documents and message.text.startswith(
            "Failed to load resource: the server responded with a status of"
        ):
            return
        self.problems.append(f"console error: {message.text} ({message.location.get('url')})")


def _stand_in_for_the_nhs_font_host(route):
    """The policy allows the NHS font host (ADR 130); the tests have no network, so it
    answers with no content and the page falls back to Arial, as it would offline."""
    route.fulfill(status=204, body="")


def _new_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    # The first page the live server renders compiles the templates: slow on a busy machine.
    context.set_default_navigation_timeout(30_000)
    context.route(f"{settings.NHS_FONT_HOST}/**", _stand_in_for_the_nhs_font_host)
    page = context.new_page()
    return context, page, BrowserProblems(page)


def _close(context, problems):
    found = list(problems.problems)
    context.close()
    if found:
        pytest.fail("The browser reported problems:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def page(browser):
    context, page, problems = _new_page(browser, DESKTOP)
    yield page
    _close(context, problems)


@pytest.fixture
def phone(browser):
    context, page, problems = _new_page(browser, PHONE)
    yield page
    _close(context, problems)


def assert_frontend_started(page) -> None:
    """The NHS.UK frontend ran: the body is marked as supported and every NHS component
    on the page (header, skip link, error summary, ...) has started."""
    state_js = """() => ({
      supported: document.body.classList.contains('nhsuk-frontend-supported'),
      waiting: [...document.querySelectorAll('[data-module^="nhsuk-"]')]
        .filter((el) => !el.hasAttribute(`data-${el.dataset.module}-init`))
        .map((el) => el.dataset.module),
    })"""
    try:
        page.wait_for_function(
            f"(() => {{ const s = ({state_js})(); return s.supported && !s.waiting.length }})",
            timeout=5_000,
        )
    except Exception:  # noqa: BLE001 - reported with what was found
        state = page.evaluate(state_js)
        pytest.fail(f"The NHS.UK frontend did not start on {page.url}: {state}")


def assert_accessible(page) -> None:
    """Run axe-core in the page: no WCAG 2.2 A or AA violations allowed. Checks first
    that the NHS.UK frontend started on the page."""
    assert_frontend_started(page)
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run 'npm ci' (make test does this).")
    # Evaluated through the browser's debugging channel: an inline <script> would be
    # blocked by the page's Content-Security-Policy, and the policy stays on.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(f"() => {{ {_axe_source()}\n }}")
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


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text()


def sign_in(page, live_server, email, password=None):
    from tests.factories import PASSWORD

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page, legend: str, day) -> None:
    """Type a date into the NHS date input whose legend is ``legend`` (day, month, year)."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
