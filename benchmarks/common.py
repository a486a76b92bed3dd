"""What the database-backed suites share: their child processes and those processes' settings,
the production server's start and stop, and signing in through the real form."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT = 1_800


def bench_env(database_url: str, folder: str) -> dict[str, str]:
    """Production settings for a suite's own processes: its database, a throwaway data folder
    and secret key, no debugging and quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PEERPRINCIPLES_DATA_DIR": folder,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def run_child(module: str, args: list[str], env: dict[str, str]) -> Any:
    """Run ``python -m module *args`` and return the JSON on the last line it prints."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the production server and signing in, shared by the load and cold-start suites -----------

START_TIMEOUT = 120
REQUEST_TIMEOUT = 30


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, log: Path, workers: int
) -> subprocess.Popen[bytes]:
    """Start ``peerprinciples serve`` on ``port`` in its own process group, logging to ``log``."""
    with log.open("wb") as handle:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "peerprinciples.cli.main",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_serving(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    """Wait until the sign-in page answers 200 (which warms the server: not for cold starts)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up:\n{tail(log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sign-in/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{tail(log)}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server gracefully, or kill its own process group if it does not stop."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the group started for this server only
        server.wait(timeout=10)


def tail(log: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a server log (empty if it cannot be read)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def sign_in(conn: http.client.HTTPConnection, username: str, password: str) -> str:
    """A session cookie from the real sign-in form (GET for the CSRF token, then POST), sent
    over ``conn``."""
    conn.request("GET", "/sign-in/")
    page = conn.getresponse()
    body = page.read().decode()
    cookies = response_cookies(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        raise RuntimeError(f"the sign-in page (HTTP {page.status}) has no CSRF token")
    form = urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/sign-in/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    answer = conn.getresponse()
    answer.read()
    cookies |= response_cookies(answer)
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {username} failed (HTTP {answer.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def response_cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    """The cookies a response sets, by name."""
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found
