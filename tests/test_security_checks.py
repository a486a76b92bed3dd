"""The security checks of `make test`: Django's deployment check with the production settings
the deployment guide gives, the dependency audit that skips plainly without its service, and
bandit's marks, each naming what it lets through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "docs" / "examples" / "production.env"
BIN = Path(sys.executable).parent


def _run(command: list[str], **variables: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BIN": str(BIN), **variables}
    env.pop("DEBUG", None)
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_make_test_runs_the_security_checks() -> None:
    makefile = (ROOT / "Makefile").read_text()
    (prerequisites,) = re.findall(r"^test:(.*)$", makefile, re.MULTILINE)
    assert "security" in prerequisites.split()
    recipe = makefile.split("\nsecurity:")[1].split("\n\n")[0]
    assert "bandit" in recipe
    assert "scripts/audit-dependencies requirements.lock" in recipe
    assert "scripts/check-deploy docs/examples/production.env" in recipe


def test_the_deployment_guide_gives_its_production_settings_from_the_checked_file() -> None:
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert "examples/production.env" in guide
    settings = dict(
        line.split("=", 1)
        for line in PRODUCTION.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert settings["DEBUG"] == "false"
    assert settings["SECURE_COOKIES"] == "true"
    assert "SECRET_KEY" not in settings  # a real key is never written into the repository


def test_the_production_settings_pass_the_deployment_check_with_no_warning() -> None:
    done = _run(["sh", "scripts/check-deploy"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_a_production_setting_django_warns_about_fails_the_check_naming_it(
    tmp_path: Path,
) -> None:
    weakened = tmp_path / "weakened.env"
    weakened.write_text(PRODUCTION.read_text().replace("SECURE_COOKIES=true", "SECURE_COOKIES=no"))
    done = _run(["sh", "scripts/check-deploy", str(weakened)])
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "security.W012" in said  # the session cookie
    assert "security.W016" in said  # the form-protection cookie


def test_a_missing_settings_file_is_named_with_the_fix() -> None:
    done = _run(["sh", "scripts/check-deploy", "no-such.env"])
    assert done.returncode == 2
    assert "cannot read the settings file no-such.env; name an existing one." in done.stderr


class _NotTheService(BaseHTTPRequestHandler):
    """Answers like a package index that keeps no advisories (404 for each version)."""

    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def index_without_advisories() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _NotTheService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/pypi"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("where", ["refused", "answers without advisories"])
def test_the_audit_is_skipped_with_one_plain_line_where_its_service_cannot_be_reached(
    where: str, index_without_advisories: str
) -> None:
    # Port 9 (discard) is closed on a test machine: the connection is refused at once.
    url = "http://127.0.0.1:9/pypi" if where == "refused" else index_without_advisories
    done = _run(
        [sys.executable, "scripts/audit-dependencies", "requirements.lock"],
        PEERPRINCIPLES_ADVISORY_URL=url,
    )
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith(
        f"pip-audit skipped: the advisory service at {url} cannot be reached from this machine ("
    )


def test_a_missing_lock_file_is_named(tmp_path: Path) -> None:
    done = _run([sys.executable, "scripts/audit-dependencies", str(tmp_path / "none.lock")])
    assert done.returncode == 2
    assert f"there is no lock file at {tmp_path / 'none.lock'}" in done.stderr


def test_a_lock_file_that_pins_nothing_is_refused_with_the_fix(tmp_path: Path) -> None:
    lock = tmp_path / "empty.lock"
    lock.write_text("# nothing pinned\ndjango>=5\n")
    done = _run([sys.executable, "scripts/audit-dependencies", str(lock)])
    assert done.returncode != 0
    assert "pins no package (no line like name==1.2.3)" in done.stderr


def test_a_locked_package_with_a_known_vulnerability_fails_the_audit(tmp_path: Path) -> None:
    # Django 3.2 (April 2021) has many published advisories; the hash is its wheel's on PyPI.
    lock = tmp_path / "old.lock"
    lock.write_text(
        "django==3.2 \\\n"
        "    --hash=sha256:0604e84c4fb698a5e53e5857b5aea945b2f19a18f25f10b8748dbdf935788927\n"
    )
    done = _run([sys.executable, "scripts/audit-dependencies", str(lock)])
    if done.stdout.startswith("pip-audit skipped:"):
        pytest.skip(done.stdout.strip())
    assert done.returncode != 0
    assert re.search(r"django\s+3\.2\s+(PYSEC|GHSA)-", done.stdout), done.stdout + done.stderr


def test_every_bandit_mark_in_the_source_names_the_check_it_lets_through() -> None:
    """A bare "# nosec" would silence every check on its line, the next problem included."""
    marks = []
    for path in (ROOT / "src").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"#\s*nosec\b", line):
                marks.append((f"{path.relative_to(ROOT)}:{number}", line))
    assert marks, "the source has marked lines (bulk.py, forms.py, ...)"
    bare = [where for where, line in marks if not re.search(r"# nosec( B\d{3})+$", line)]
    assert bare == [], f"name the bandit check (# nosec B608) on: {bare}"
