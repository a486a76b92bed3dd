"""Every page of the demo, as each demo account, carries the strict Content-Security-Policy
and nothing the policy would refuse.

The demo is built once for the module, and every demo account (one per role) and an
anonymous visitor walk the site from its front page, following each link to a page of the
site; each kind of page (a URL name) is opened once per account, so the walk stays short
however much the demo holds. Every response must carry the policy exactly as written below
(loosening the settings fails here), and every HTML page and SVG figure must be free of
inline script, ``<style>`` elements, ``style`` attributes, ``on...`` handlers and
``javascript:`` addresses, which the policy makes the browser refuse. The permission tables
list every page that can be opened with GET; a page in them that the walk never reached
fails ``test_the_walk_reaches_every_page_in_the_permission_tables``, so a new page cannot
escape these checks by having no link to it.

Everything is done inside one transaction that is rolled back, so the demo built here does
not stay for the tests that follow.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from lxml import etree, html
from tests.web.permission_rows import OK, Row
from tests.web.test_coproduction_permission_table import TABLE as COPRODUCTION
from tests.web.test_permission_table import TABLE as EVALUATIONS
from tests.web.test_practice_permission_table import TABLE as PRACTICE

from peerprinciples.core.library import Library

# The walk makes its own transaction (see ``pages``); the mark asks for the test database.
# The policy and the markup are the same whatever the database: CI walks them once, on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.same_on_every_database]

# The policy, written out here rather than read from the settings, so that loosening the
# settings fails this test instead of passing it.
STRICT = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
# The one page allowed more: the API's interactive documentation, whose viewer's stylesheet
# draws its icons as data: images (web/api/site.py). Script and style stay as strict there.
API_DOCS = "/api/v1/docs"
API_DOCS_POLICY = {**STRICT, "img-src": "'self' data:"}
# One account for each role the demo has, and nobody signed in.
ACCOUNTS = (
    "demo-lead",
    "demo-coordinator",
    "demo-rater-1",
    "demo-viewer",
    "demo-facilitator",
    "demo-peer-worker",
    "demo-panel-member",
    "",
)
# <script> elements that hold data, not code: the browser never runs them.
DATA_SCRIPTS = ("application/json",)
# Addresses that may run script when followed or submitted.
ADDRESS_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")
# Where every account starts, besides the front page: the page for an address not there.
NO_SUCH_PAGE = "/no-such-page/"


@dataclass
class Page:
    """What the walk found at one address, as one account."""

    url: str
    account: str
    status: int
    content_type: str
    policy: str
    problems: list[str] = field(default_factory=list)

    @property
    def who(self) -> str:
        return self.account or "anonymous"


def directives(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive → its sources, in order."""
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = " ".join(words[1:])
    return found


def _where(element: Any) -> str:
    """An element named so that someone can find it in the page: its tag, id and classes."""
    tag = element.tag if isinstance(element.tag, str) else "comment"
    tag = tag.rpartition("}")[2]
    ident = f"#{element.get('id')}" if element.get("id") else ""
    classes = "".join(f".{c}" for c in (element.get("class") or "").split())
    return f"<{tag}{ident}{classes}> on line {element.sourceline}"


def inline_problems(root: Any) -> Iterator[str]:
    """Everything in a parsed HTML page or SVG figure that a strict policy refuses."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        tag = element.tag.rpartition("}")[2].lower()
        if tag == "script":
            kind = (element.get("type") or "").strip().lower()
            if kind not in DATA_SCRIPTS and (element.text or "").strip():
                yield f"inline script in {_where(element)}"
        elif tag == "style":
            yield f"a <style> element: {_where(element)}"
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2].lower()
            if local == "style":
                yield f'style="{value}" on {_where(element)}'
            elif local.startswith("on"):
                yield f"{local}= handler on {_where(element)}"
            elif local in ADDRESS_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                yield f"a javascript: address in {local} on {_where(element)}"
        for name in ("src", "href"):
            address = element.get(name, "")
            if tag in ("script", "img", "link") and address and urlsplit(address).netloc:
                yield f"{name}={address} on {_where(element)} is on another site"


def _links(root: Any, base: str) -> Iterator[str]:
    """The addresses of the site's pages that ``root`` links to or searches with a GET form,
    and of the figures it shows; without fragments, and not its static files."""
    for element in root.iter("a", "img", "form"):
        if element.tag == "form" and (element.get("method") or "get").lower() != "get":
            continue
        href = element.get({"a": "href", "img": "src", "form": "action"}[element.tag])
        if not href:
            continue
        address, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(address)
        if parts.netloc not in ("", "testserver") or parts.scheme not in ("", "http"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            continue
        yield path


def _name(path: str) -> str | None:
    """The URL name of a path of the site, with its namespace."""
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def _kind(path: str) -> tuple[str | None, int | None]:
    """A path's URL name and the evaluation, project or programme it is in (its first
    number): the walk opens one page of each kind in each of them."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None, None
    numbers = [value for value in match.kwargs.values() if isinstance(value, int)]
    return match.view_name, numbers[0] if numbers else None


def _look_at(client: Client, url: str, account: str) -> tuple[Page, list[str]]:
    """Open ``url`` and check it; return what was found and the links to follow."""
    response = client.get(url)
    kind = response.get("Content-Type", "").split(";")[0].strip()
    page = Page(url, account, response.status_code, kind, response.get("Content-Security-Policy"))
    attachment = response.get("Content-Disposition", "").startswith("attachment")
    links: list[str] = []
    if response.status_code in (301, 302):
        links.append(response["Location"])
    elif kind == "text/html" and not attachment:
        root = html.document_fromstring(response.content)
        page.problems = list(inline_problems(root))
        links = list(_links(root, url))
    elif kind == "image/svg+xml":
        page.problems = list(inline_problems(etree.fromstring(response.content)))
    return page, links


def walk(client: Client, account: str, starts: list[str]) -> list[Page]:
    """Every kind of page ``account`` reaches from ``starts`` (see :func:`_kind`), each
    opened once; the starts, and where a redirect leads, are opened whatever their kind."""
    seen_kinds: set[tuple[str | None, int | None]] = set()
    seen: set[str] = set()
    queue = deque((url, True) for url in starts)
    pages = []
    while queue:
        url, always = queue.popleft()
        kind = _kind(url)
        if url in seen or (kind in seen_kinds and not always) or kind[0] == "logout":
            continue  # signing out is a POST form; a GET would only sign the walker out
        seen.add(url)
        seen_kinds.add(kind)
        page, links = _look_at(client, url, account)
        pages.append(page)
        redirected = page.status in (301, 302)
        queue.extend((link, redirected) for link in links)
    return pages


def _two_factor_pages() -> list[Page]:
    """The pages only someone with two-factor sign-in on reaches: its overview with the
    links to new recovery codes and switching it off, and the code asked for after the
    password. No demo account has it on, so one is switched on here."""
    from tests.web.two_factor_support import give_password, switch_on

    person = get_user_model().objects.get(username="demo-panel-member")
    person.set_password("walk-the-two-factor-pages")
    person.save()
    switch_on(person)
    signed_in = Client()
    signed_in.force_login(person)
    found = walk(signed_in, "demo-panel-member (two-factor on)", [reverse("two_factor")])
    signing_in = Client()
    give_password(signing_in, person.get_username(), "walk-the-two-factor-pages")
    found += walk(signing_in, "signing in with two-factor", [reverse("sign_in_code")])
    return found


def _starts(
    evaluation: Any, project: Any, programme: Any, import_dir: Path
) -> dict[str, list[str]]:
    """Where each account begins besides the front page and a page that is not there.

    These are pages no link in the demo leads to (the page after a form, a link sent by
    e-mail, a file's preview after its upload) or whose links are only on pages the walk
    does not choose (one interview, cycle or action of several: the one waiting for
    consensus, the cycle still open), and a new interview to rate. The viewer also meets a
    page it is refused (403). Nothing links to the page for moving a programme to another
    framework version, so the lead starts there too.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peerprinciples.web.coproduction.models import RCMapUpload
    from peerprinciples.web.evaluations.models import Round
    from peerprinciples.web.interviews import services as rating
    from peerprinciples.web.interviews.models import Interview
    from peerprinciples.web.reflection.models import Action, Cycle
    from peerprinciples.web.transfers import services as transfers

    users = get_user_model().objects
    lead, facilitator = users.get(username="demo-lead"), users.get(username="demo-facilitator")
    interviews = Interview.objects.filter(evaluation=evaluation).order_by("pk")
    waiting = interviews.filter(status=Interview.Status.CONSENSUS).first()
    cycle = Cycle.objects.filter(evaluation=evaluation, status=Cycle.Status.OPEN).first()
    action = Action.objects.filter(cycle__evaluation=evaluation).first()
    needs = {
        "an interview waiting for consensus": waiting,
        "an open cycle": cycle,
        "an action": action,
    }
    lost = [what for what, found in needs.items() if found is None]
    assert not lost, f"the demo no longer has what the walk starts from: {', '.join(lost)}"
    worker = evaluation.peer_workers.select_related("service").first()
    fresh = rating.create_interview(
        lead,
        evaluation,
        service=worker.service,
        peer_worker=worker,
        round=Round.objects.filter(evaluation=evaluation).first(),
        informant="peer_worker",
        date=None,
        code="WALK-1",
        double_rated=False,
    )
    with override_settings(PEERPRINCIPLES_IMPORT_DIR=import_dir):
        batch = transfers.upload(
            lead, evaluation, SimpleUploadedFile("r.csv", b"interview\n"), name="r.csv"
        )
    upload = RCMapUpload.objects.create(
        project=project,
        user=facilitator,
        statements=b"StatementID,Statement\n1,One\n2,Two\n3,Three\n",
        sorted_cards=b"A,x,1,2\nA,y,3\nB,all,1,2,3\n",
    )
    e, c = evaluation.pk, cycle.pk
    uid = urlsafe_base64_encode(force_bytes(lead.pk))
    return {
        "demo-lead": [
            reverse("password_change_done"),
            reverse("interviews:consensus", args=[e, waiting.pk]),
            reverse("interviews:sheet", args=[e, waiting.pk, waiting.sheets.first().pk]),
            reverse("transfers:preview", args=[e, batch.pk]),
            reverse("reflection:action", args=[e, action.pk]),
            reverse("practice:framework", args=[programme.pk]),
        ],
        "demo-rater-1": [reverse("interviews:rate", args=[e, fresh.pk])],
        "demo-viewer": [reverse("interviews:list", args=[e])],
        "demo-facilitator": [
            reverse("reflection:reflect", args=[e, c, "relationships"]),
            reverse("reflection:conditions", args=[e, c]),
            reverse("reflection:self_assess", args=[e, c]),
            reverse("coproduction:rcmap_preview", args=[project.pk, upload.pk]),
        ],
        "demo-panel-member": [reverse("coproduction:my_sort_piles", args=[project.pk])],
        "": [
            reverse("health"),
            reverse("password_reset_done"),
            reverse("password_reset_complete"),
            reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(lead)]),
        ],
    }


@pytest.fixture(scope="module")
def pages(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> list[Page]:
    """The demo built once, and every page each demo account reaches in it."""
    from peerprinciples.web.coproduction.demo import ensure_coproduction_demo
    from peerprinciples.web.demo import ensure_demo
    from peerprinciples.web.library.services import load_library
    from peerprinciples.web.practice.demo import ensure_practice_demo

    at_once = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    found: list[Page] = []
    with (
        django_db_blocker.unblock(),
        override_settings(TASKS=at_once, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        load_library(Library())
        evaluation, _ = ensure_demo()
        project, _ = ensure_coproduction_demo()
        programme, _ = ensure_practice_demo(evaluation)
        imports = tmp_path_factory.mktemp("imports")
        starts = _starts(evaluation, project, programme, imports)
        for account in ACCOUNTS:
            client = Client()
            if account:
                client.force_login(get_user_model().objects.get(username=account))
            found += walk(client, account, ["/", NO_SUCH_PAGE, *starts.get(account, [])])
        found += _two_factor_pages()
        transaction.set_rollback(True)
    return found


def test_every_response_carries_the_strict_policy(pages: list[Page]) -> None:
    wrong = []
    for page in pages:
        if page.policy is None:
            wrong.append(f"{page.url} as {page.who}: no Content-Security-Policy header")
        elif directives(page.policy) != (API_DOCS_POLICY if page.url == API_DOCS else STRICT):
            wrong.append(f"{page.url} as {page.who}: {page.policy}")
    assert not wrong, "responses without the strict policy:\n" + "\n".join(wrong)


def test_no_page_has_inline_script_or_style(pages: list[Page]) -> None:
    found = [f"{p.url} as {p.who}: {problem}" for p in pages for problem in p.problems]
    assert not found, "the policy refuses these (move them to site.css or a script file):\n" + (
        "\n".join(found)
    )


def test_the_walk_opens_pages_and_figures_and_the_error_pages(pages: list[Page]) -> None:
    kinds = {p.content_type for p in pages}
    assert {"text/html", "image/svg+xml", "text/csv"} <= kinds, kinds
    statuses = {(p.url, p.who): p.status for p in pages}
    assert statuses[(NO_SUCH_PAGE, "anonymous")] == 404
    assert statuses[(NO_SUCH_PAGE, "demo-lead")] == 404
    assert 403 in {p.status for p in pages if p.who == "demo-viewer"}
    assert all(p.status < 500 for p in pages), [p.url for p in pages if p.status >= 500]


def _pages_with_get(rows: list[Row]) -> set[str]:
    return {row.name for row in rows if row.method == "GET" and OK in row.expected}


def test_the_walk_reaches_every_page_in_the_permission_tables(pages: list[Page]) -> None:
    wanted = _pages_with_get(EVALUATIONS) | _pages_with_get(COPRODUCTION)
    wanted |= _pages_with_get(PRACTICE)
    # The page answered itself: not a redirect, a refusal, a page not there or a failure
    # (an import's preview listing the file's problems answers 409).
    reached = {_name(p.url) for p in pages if p.status in (200, 409)}
    missing = sorted(wanted - reached)
    assert not missing, (
        "no demo account reached these pages by following links: link to them from a page "
        "of the demo, or give the walk a start for them (_starts): " + ", ".join(missing)
    )


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<p style="color: red">x</p>', 'style="color: red" on <p> on line 1'),
        ("<script>alert(1)</script>", "inline script in <script> on line 1"),
        ("<style>p {}</style>", "a <style> element: <style> on line 1"),
        ('<button id="go" onclick="x()">x</button>', "onclick= handler on <button#go> on line 1"),
        ('<a class="a b" href="javascript:x()">x</a>', "javascript: address in href"),
        ('<img src="https://example.org/x.png" alt="">', "is on another site"),
        ('<svg><rect style="fill: red"/></svg>', 'style="fill: red" on <rect>'),
    ],
)
def test_the_check_names_each_kind_of_inline_code(markup: str, expected: str) -> None:
    root = html.document_fromstring(f"<!doctype html><html><body>{markup}</body></html>")
    problems = list(inline_problems(root))
    assert len(problems) == 1, problems
    assert expected in problems[0], problems


def test_the_check_lets_data_blocks_and_script_files_through() -> None:
    markup = (
        '<script type="application/json" id="settings">{"a": 1}</script>'
        '<script src="/static/peerprinciples/site.js" defer></script>'
        '<link rel="stylesheet" href="/static/peerprinciples/site.css">'
        '<svg><text font-style="italic" fill="#333">x</text></svg>'
    )
    root = html.document_fromstring(f"<!doctype html><html><head>{markup}</head></html>")
    assert list(inline_problems(root)) == []


def test_a_policy_header_is_read_into_its_directives() -> None:
    assert directives("default-src 'none'; img-src 'self' data:;") == {
        "default-src": "'none'",
        "img-src": "'self' data:",
    }
