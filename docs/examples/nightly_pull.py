"""A data manager's nightly pull: every evaluation's ratings and results, as dated files.

Run it from cron (see docs/nightly-pull.md). It reads two settings from the environment:

PEERPRINCIPLES_URL
    The server, such as ``https://fidelity.example.org``.
PEERPRINCIPLES_TOKEN
    A personal access token (``ppat_…``), made on your account page for one evaluation.

and takes one argument, the folder to write into (the current folder when none is given).
For each evaluation the token opens it writes ``<id>-ratings-long-<date>.csv`` (the final
ratings, one row per rating) and ``<id>-results-<date>.json`` (the results as your role
may see them). Each file is written under a temporary name and renamed when complete, so a
reader never finds half a file. Any error stops the pull with a non-zero exit status and
the server's own explanation on standard error.

Only the Python standard library is used, so the script runs wherever Python 3.9 or later
does.
"""

import datetime
import json
import os
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PAGE_SIZE = 100
RESULTS_TRIES = 30
"""How many times to ask for results that are still being worked out (see Retry-After)."""


class PullError(Exception):
    """Something went wrong; the message says what, and what the server said."""


def setting(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise PullError(f"Set {name} in the environment (see docs/nightly-pull.md).")
    return value


def call(base, token, path, query=None):
    """GET ``path``; returns the status, the headers and the body as bytes."""
    url = base.rstrip("/") + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        raise PullError(f"{path}: {explain(error.code, error.read())}") from None
    except urllib.error.URLError as error:
        raise PullError(f"Could not reach {base}: {error.reason}") from None


def explain(status, body):
    """The server's problem details (RFC 9457) in one line, or the status alone."""
    try:
        problem = json.loads(body)
    except ValueError:
        return f"the server answered {status}"
    text = f"{status} {problem.get('title', '')}: {problem.get('detail', '')}".strip()
    for error in problem.get("errors", []):
        text += f"\n  {error.get('field', '')}: {error.get('message', '')}"
    return text


def every_page(base, token, path):
    """Every item of a paginated list, following the pages until ``count`` are read."""
    items, page = [], 1
    while True:
        _, _, body = call(base, token, path, {"page": page, "page_size": PAGE_SIZE})
        answer = json.loads(body)
        items += answer["items"]
        if not answer["items"] or len(items) >= answer["count"]:
            return items
        page += 1


def results(base, token, evaluation_id):
    """The results, waiting while newer data are being worked out (202 and Retry-After)."""
    path = f"/api/v1/evaluations/{evaluation_id}/results/"
    for _ in range(RESULTS_TRIES):
        status, headers, body = call(base, token, path)
        if status == 200:
            return body
        time.sleep(int(headers.get("Retry-After", "10")))
    _, _, body = call(base, token, path, {"allow_stale": "true"})
    return body


def write_atomically(path, content):
    """Write ``content`` beside ``path`` under a temporary name, then rename it into place."""
    handle, draft = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise


def pull(folder):
    base = setting("PEERPRINCIPLES_URL")
    token = setting("PEERPRINCIPLES_TOKEN")
    folder.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today().isoformat()
    written = []
    for evaluation in every_page(base, token, "/api/v1/evaluations/"):
        number = evaluation["id"]
        _, _, ratings = call(base, token, f"/api/v1/evaluations/{number}/exports/long")
        target = folder / f"{number}-ratings-long-{today}.csv"
        write_atomically(target, ratings)
        written.append(target)
        target = folder / f"{number}-results-{today}.json"
        write_atomically(target, results(base, token, number))
        written.append(target)
    return written


def main():
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    try:
        written = pull(folder)
    except PullError as error:
        print(f"nightly pull failed: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
