"""Chat with a running assistant in the terminal, as a website visitor would."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any


def send(
    url: str, sender: str, text: str, metadata: dict[str, Any]
) -> list[dict[str, Any]]:
    """Post one visitor message and return the assistant's replies."""
    body = json.dumps(
        {"sender": sender, "message": text, "metadata": metadata}
    ).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies: list[dict[str, Any]] = json.load(response)
        return replies


def show(reply: dict[str, Any]) -> None:
    """Print a reply and its buttons, numbered so they can be picked."""
    if reply.get("text"):
        print(f"bot> {reply['text']}")

    for number, button in enumerate(reply.get("buttons") or [], start=1):
        print(f"     [{number}] {button['title']}")


def main() -> None:
    """Run the chat loop until end of input."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--url", default="http://127.0.0.1:5005/webhooks/rest_meta/webhook"
    )
    parser.add_argument("--sender", default=f"terminal-{secrets.token_hex(4)}")
    parser.add_argument("--page", default="http://127.0.0.1:8080/")
    parser.add_argument("--timezone", default="UTC")
    args = parser.parse_args()
    metadata = {"page_url": args.page, "timezone": args.timezone}
    print(f"Chatting as {args.sender}. Type a message; a number picks a button.")

    buttons: list[dict[str, Any]] = []
    for line in _lines():
        text = line.strip()
        if text.isdigit() and 0 < int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]

        try:
            replies = send(args.url, args.sender, text, metadata)
        except (urllib.error.URLError, TimeoutError) as exc:
            print(
                f"Cannot reach the assistant at {args.url} ({exc}); "
                "is 'make run' running?"
            )
            return

        buttons = [button for reply in replies for button in reply.get("buttons") or []]
        for reply in replies:
            show(reply)


def _lines() -> Iterator[str]:
    """Yield what the visitor types until end of input or Ctrl+C."""
    if not sys.stdin.isatty():
        yield from sys.stdin
        return

    while True:
        try:
            yield input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return


if __name__ == "__main__":
    main()
