"""Browser tests: the real application, served by a live server, driven through Chromium.

Playwright (the Python package) drives Debian's own chromium by its executable path,
headless; nothing is downloaded. Where chromium is missing, every browser test is skipped
with one plain reason, which ``make test`` prints in its summary. ``CHROMIUM_PATH`` names
another executable.

The people are the same as in the web tests: a lead, a service coordinator and two raters
for service A, and a viewer. Tests prepare what is not under test through the services and
drive only the story under test in the browser, by visible labels and roles as a person
would, so the forms' labels are checked too. ``site.check()`` runs axe-core on the page
shown and fails on any serious or critical violation, and on anything the page did that its
Content-Security-Policy refused (every window watches for that, so every story checks that
the site keeps to its own policy).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Response,
    expect,
    sync_playwright,
)
from tests.personas import PASSWORD, Personas, make_personas

from peerprinciples.core.library import Library
from peerprinciples.web.interviews import services as rating
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.library.services import load_library

DEFAULT_CHROMIUM = "/usr/bin/chromium"
SKIP_REASON = "browser tests skipped: Debian's chromium is not installed (apt-get install chromium)"
# Headless, and quiet: without the networking switches chromium keeps trying to reach
# Google's update, sync and field-trial servers, which floods a closed network.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
ASSETS = ("peerprinciples/site.css", "peerprinciples/site.js")
# Set to a folder to keep a full-page screenshot of every page checked, to look at them.
SCREENSHOTS = os.environ.get("BROWSER_TEST_SCREENSHOTS", "")
_shot_numbers = itertools.count(1)
# Parallel workers number their screenshots apart (gw0-001-…, gw1-001-…) in the one folder.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_SHOT_PREFIX = f"{_WORKER}-" if _WORKER else ""
BLOCKING_IMPACTS = ("serious", "critical")
# axe-core reports the violations only: the rules passed are not read, and listing them is work.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# In every page, before its own scripts: pass each refusal of the page's Content-Security-
# Policy to the test (Playwright runs this script and the binding outside the page's policy).
WATCH_POLICY = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.policyRefused(
    `${event.effectiveDirective} refused ${event.blockedURI || "something"}`
    + ` (${event.sourceFile || event.documentURI}:${event.lineNumber})`
  );
});
"""


def chromium_path() -> str | None:
    """The chromium to drive: ``CHROMIUM_PATH``, Debian's, or the first one on the PATH."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        DEFAULT_CHROMIUM,
        shutil.which("chromium"),
    ):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


class Chromium:
    """One Playwright driver and chromium for a run of browser tests in this process.

    Starting them costs a second or two of a busy machine, so they are started for the first
    browser test and kept while the tests that follow are browser tests too, however many
    modules those span; each test still has its own contexts (cookies, storage), so no test
    sees another's. They are stopped before the first test that is not a browser test.

    Playwright's synchronous API keeps an event loop running in the main thread while it is
    started, and Django refuses database calls from a thread with a running loop. The test
    code (fixtures preparing data, assertions reading it) is plain synchronous code that
    merely shares the thread, so the check is off while Playwright runs, and on again for
    the tests after the browser tests.
    """

    def __init__(self) -> None:
        self._manager: Any = None
        self._browser: Browser | None = None
        self._previous: str | None = None

    def browser(self, executable: str) -> Browser:
        """The running chromium, started now if it is not running."""
        if self._browser is None:
            self._previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            try:
                self._manager = sync_playwright()
                playwright = self._manager.start()
                self._browser = playwright.chromium.launch(
                    executable_path=executable, headless=True, args=LAUNCH_ARGS
                )
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        """Close chromium and Playwright, and turn Django's check back on."""
        browser, manager = self._browser, self._manager
        self._browser = self._manager = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if manager is not None:
                manager.__exit__(None, None, None)
            if self._previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._previous
            self._previous = None


CHROMIUM = Chromium()


def _is_browser_test(item: pytest.Item | None) -> bool:
    return item is not None and Path(item.path).is_relative_to(Path(__file__).parent)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a browser test's own teardown, stop chromium if the next test is no browser
    test (or there is none)."""
    try:
        return (yield)
    finally:
        if not _is_browser_test(nextitem):
            CHROMIUM.stop()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop chromium also when the run ends early (a failure with ``-x``, an interrupt)."""
    CHROMIUM.stop()


@pytest.fixture(scope="module")
def browser() -> Browser:
    """A headless chromium, shared by the browser tests that run one after another in this
    process (see :class:`Chromium`); each test opens its own contexts."""
    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    return CHROMIUM.browser(executable)


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core, read once."""
    return Axe()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing passwords properly is slow by design; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _api_rates_out_of_the_way(settings: Any) -> None:
    """The API's rate limits count calls in each process's cache, which outlives a test;
    tests of the limits set their own low rate."""
    settings.PEERPRINCIPLES_API_RATE_PER_TOKEN = "1000000/min"
    settings.PEERPRINCIPLES_API_RATE_ANONYMOUS = "1000000/min"


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    """Results are refreshed by a task; here it runs at once, in the process that queues it
    (tests of the real worker choose the database backend themselves)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def serious_violations(results: Mapping[str, Any]) -> list[str]:
    """axe-core's serious and critical violations, each with where it is and how to fix it."""
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        found.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — at {targets}"
        )
    return found


@dataclass
class Site:
    """One person's browser window onto the live server."""

    page: Page
    axe: Axe
    javascript: bool = True
    """False for a window with JavaScript turned off: axe-core cannot run there (its checks
    wait on timers the page may not start), so such stories walk pages that a story with
    JavaScript on checks with axe."""
    refused: list[str] = field(default_factory=list)
    """What the pages' Content-Security-Policy refused so far, each with its page."""

    def go(self, path: str) -> Response:
        """Open a page of the site (a path such as ``/sign-in/``) and check it with axe."""
        response = self.page.goto(path)
        assert response is not None, f"no response for {path}"
        self.check()
        return response

    def check(self) -> None:
        """Fail on any serious or critical accessibility violation on the page shown."""
        self.page.wait_for_load_state()
        if not self.javascript:
            return
        # Windows opened by ``open_site`` have axe-core in every page already; others get it
        # now.
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(self.axe.axe_script)
        results = self.page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        problems = serious_violations(results)
        where = self.page.url
        if SCREENSHOTS:
            self.screenshot(Path(SCREENSHOTS))
        assert not problems, f"axe-core found on {where}:\n" + "\n".join(problems)
        self.check_policy()

    def check_policy(self) -> None:
        """Fail if any page so far did something its Content-Security-Policy refused: an
        inline script or style, a handler attribute, a file from another site."""
        refused, self.refused[:] = list(self.refused), []
        assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)

    def screenshot(self, folder: Path) -> None:
        """Keep a full-page screenshot of the page shown, named after its path."""
        address = self.page.url.split("://", 1)[-1].partition("/")[2]
        name = re.sub(r"[^A-Za-z0-9]+", "-", address).strip("-") or "home"
        shot = f"{_SHOT_PREFIX}{next(_shot_numbers):03d}-{name}.png"
        self.page.screenshot(path=folder / shot, full_page=True)

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        """Sign in through the sign-in page, as a person would."""
        self.page.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Your evaluations")

    def option(self, number: int, choice: str) -> Locator:
        """On a rating form, the radio for ``choice`` (a point such as ``"3"`` or a code)."""
        item = self.page.get_by_role("group", name=re.compile(rf"^Item {number}\b"))
        return item.get_by_role("radio", name=re.compile(rf"^{re.escape(choice)} — "))

    def rate_item(self, number: int, choice: str) -> None:
        """On a rating form, choose ``choice`` for item ``number``."""
        self.option(number, choice).check()

    def sign_out(self) -> None:
        """Sign out with the button in the header."""
        self.page.get_by_role("button", name="Sign out").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Sign in")


@functools.cache
def missing_assets(base_url: str) -> tuple[str, ...]:
    """The stylesheet and script that a live server at ``base_url`` fails to serve."""
    missing = []
    for asset in ASSETS:
        try:
            with urllib.request.urlopen(f"{base_url}{settings.STATIC_URL}{asset}"):
                pass
        except urllib.error.HTTPError as error:
            missing.append(f"{asset} ({error.code})")
    return tuple(missing)


@functools.cache
def warm_up(base_url: str) -> None:
    """Ask the live server for its sign-in page once, without a time limit.

    Its first page imports every view, and with them the analysis libraries (SciPy, pandas,
    scikit-learn): ten seconds or more on a busy machine, which a test's first page would
    otherwise spend inside the browser's ten-second wait."""
    with urllib.request.urlopen(f"{base_url}/sign-in/") as response:
        response.read()


@pytest.fixture
def served_assets(live_server: Any, transactional_db: None) -> None:
    """The stylesheet and script every page links to are served (asked once a run).

    Without them the pages are not what people see: no focus styles, contrast or print
    layout to check, and no script moving focus to an error summary. So every browser test
    stops here, with one reason, rather than failing in many places for the same one.
    """
    warm_up(live_server.url)
    missing = missing_assets(live_server.url)
    if missing:
        pytest.fail(
            "the live server does not serve " + ", ".join(missing) + ": is their folder "
            "among those Django's static file finders search (STATICFILES_DIRS)?",
            pytrace=False,
        )


@pytest.fixture
def open_site(
    browser: Browser, live_server: Any, axe: Axe, served_assets: None
) -> Iterator[Callable[..., Site]]:
    """Open a fresh browser window (its own cookies) on the live server; closed afterwards.

    ``javascript=False`` opens one with JavaScript turned off, for the stories that must work
    without it."""
    contexts: list[tuple[BrowserContext, Site]] = []

    def open_one(*, javascript: bool = True) -> Site:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", java_script_enabled=javascript
        )
        context.set_default_timeout(TIMEOUT_MS)
        site = Site(context.new_page(), axe, javascript)
        if javascript:
            # axe-core in every page from the start: sending its half a megabyte of script
            # to the page at each check costs more than the browser running it at each load.
            context.add_init_script(axe.axe_script)
            context.expose_binding(
                "policyRefused",
                lambda source, text: site.refused.append(f"{source['frame'].url}: {text}"),
            )
            context.add_init_script(WATCH_POLICY)
        # With JavaScript off no event is fired; the browser still says so on its console.
        site.page.on("console", lambda message: _console_refusal(site, message))
        contexts.append((context, site))
        return site

    yield open_one
    try:
        for _, site in contexts:
            site.check_policy()
    finally:
        for context, _ in contexts:
            context.close()


def _console_refusal(site: Site, message: ConsoleMessage) -> None:
    """Keep a console error saying the page's Content-Security-Policy refused something."""
    if message.type == "error" and "Content Security Policy" in message.text:
        site.refused.append(f"{site.page.url}: {message.text}")


@pytest.fixture
def site(open_site: Callable[..., Site]) -> Site:
    """One browser window on the live server, nobody signed in yet."""
    return open_site()


# --- data ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def builtin_library() -> Library:
    """The built-in library, read once: reading and checking it is the slow part."""
    return Library()


@pytest.fixture
def instrument(transactional_db: None, builtin_library: Library) -> StoredInstrument:
    """The built-in example index, stored as a real installation stores it."""
    return next(s for s in load_library(builtin_library) if s.key == "enrich-example-index")


@pytest.fixture
def make_user(transactional_db: None) -> Callable[[str], Any]:
    """Create an account with the test password."""

    def make(username: str) -> Any:
        return get_user_model().objects.create_user(
            username=username, email=f"{username}@example.org", password=PASSWORD
        )

    return make


@dataclass
class Team(Personas):
    """The personas, with helpers for stories told through the browser."""

    def path(self, suffix: str = "") -> str:
        """A path inside the evaluation, such as ``interviews/``."""
        return f"/evaluations/{self.evaluation.pk}/{suffix}"

    def items(self, informant: str = "peer_worker") -> list[Any]:
        """The items this informant is asked, in the order of the rating form."""
        return list(self.instrument.items_for(informant))

    def finish(self, interview: Interview, values: Sequence[int]) -> None:
        """Make ``interview`` final: ``values`` are the item ratings, in turn, of each rater.

        A double-rated interview is rated by both raters, the second one point higher where
        it can be, and its agreed ratings are the first rater's.
        """
        keys = [item.key for item in self.items(interview.informant)]
        first = {key: str(values[n % len(values)]) for n, key in enumerate(keys)}
        self.rate(interview, self.rater, first)
        if interview.double_rated:
            second = {key: str(min(int(value) + 1, 5)) for key, value in first.items()}
            self.rate(interview, self.second_rater, second)
            interview.refresh_from_db()
            rating.record_consensus(
                self.lead,
                interview,
                answers=rating.parse_answers(self.instrument, interview.informant, first),
                reasons={},
                expected_version=interview.version,
            )


@pytest.fixture
def team(make_user: Callable[[str], Any], instrument: StoredInstrument) -> Team:
    """The personas and one evaluation with services A and B, a round and two peer workers."""
    return Team(**make_personas(make_user, instrument))
