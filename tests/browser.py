"""How the browser tests start Debian's Chromium, shared by every suite.

Playwright drives the system browser installed by scripts/install-browser.sh;
it never downloads its own. The flags keep Chromium off the network except
for the loopback servers the tests start.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
