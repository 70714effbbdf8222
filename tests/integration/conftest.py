"""Start the trained assistant and the action server for conversation tests.

The servers run as they do under ``make run``, on free loopback ports, with
their own SQLite files, and a local webhook receiver for handoffs.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from qualifier.store import LeadStore

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "leadline.tar.gz"
WEBHOOK_SECRET = "integration-secret"
START_TIMEOUT_S = 300


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WebhookReceiver:
    """A local HTTP endpoint that records the handoff notifications it gets."""

    port: int
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Return the receiver's URL."""
        return f"http://127.0.0.1:{self.port}/handoff"


def _start_receiver() -> tuple[WebhookReceiver, ThreadingHTTPServer]:
    receiver = WebhookReceiver(port=free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            receiver.received.append(
                {
                    "body": json.loads(body),
                    "raw": body,
                    "signature": self.headers.get("X-Leadline-Signature"),
                }
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server


@dataclass
class Assistant:
    """The running assistant, its lead store and the webhook receiver."""

    url: str
    token: str
    store: LeadStore
    webhook: WebhookReceiver
    public_url: str

    def say(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Send one visitor message and return the assistant's replies."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata

        request = urllib.request.Request(
            f"{self.url}/webhooks/rest_meta/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            replies: list[dict[str, Any]] = json.load(response)
            return replies

    def tracker(self, sender: str) -> dict[str, Any]:
        """Return the conversation's tracker from the HTTP API."""
        url = f"{self.url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            tracker: dict[str, Any] = json.load(response)
            return tracker


def _wait_until_up(url: str, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"{process.args!r} exited with {process.returncode}")

        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as exc:
            exc.close()
            time.sleep(1)
        except OSError:
            time.sleep(1)

    pytest.fail(f"the assistant did not answer {url} within {START_TIMEOUT_S}s")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    """Run the trained model with the action server for the whole session."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}; run 'make train' first")

    workdir = tmp_path_factory.mktemp("assistant")
    receiver, receiver_server = _start_receiver()
    rasa_port, action_port, token = free_port(), free_port(), "integration-token"
    env = {
        **os.environ,
        "LEADLINE_DATABASE_URL": f"sqlite:///{workdir}/leads.db",
        "LEADLINE_TRACKER_URL": f"sqlite:///{workdir}/tracker.db",
        "LEADLINE_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
        "LEADLINE_HANDOFF_WEBHOOK_URL": receiver.url,
        "LEADLINE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LEADLINE_REP_AVAILABLE": "true",
        "LEADLINE_PUBLIC_URL": "http://127.0.0.1:8080",
        "SANIC_HOST": "127.0.0.1",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    # Closed in the finally block below, after the servers stop.
    logs = {n: open(workdir / f"{n}.log", "wb") for n in ("actions", "rasa")}  # noqa: SIM115
    actions = subprocess.Popen(
        [
            str(ROOT / ".venvs/app/bin/python"),
            "-m",
            "rasa_sdk",
            "--actions",
            "bot.actions",
            "--port",
            str(action_port),
        ],
        cwd=ROOT,
        env=env,
        stdout=logs["actions"],
        stderr=subprocess.STDOUT,
    )
    rasa = subprocess.Popen(
        [
            str(ROOT / ".venvs/rasa/bin/rasa"),
            "run",
            "--model",
            str(MODEL),
            "--enable-api",
            "--auth-token",
            token,
            "--interface",
            "127.0.0.1",
            "--port",
            str(rasa_port),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
        ],
        cwd=ROOT,
        env=env,
        stdout=logs["rasa"],
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{rasa_port}"
        _wait_until_up(f"{base}/status?token={token}", [actions, rasa])
        store = LeadStore.connect(env["LEADLINE_DATABASE_URL"])
        store.migrate()
        yield Assistant(base, token, store, receiver, env["LEADLINE_PUBLIC_URL"])
    finally:
        for process in (rasa, actions):
            process.terminate()
        for process in (rasa, actions):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        receiver_server.shutdown()
        receiver_server.server_close()
        for log in logs.values():
            log.close()
        print(f"server logs: {workdir}")
