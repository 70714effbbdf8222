"""Subcommands that manage console users and API tokens.

``register`` adds ``create-user`` and ``create-api-token`` to the parser of
``python -m qualifier``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from qualifier.errors import QualifierError
from qualifier.settings import load_settings
from qualifier.store import LeadStore
from qualifier.users import Accounts


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the user and API token subcommands to a subparsers group."""
    user_parser = subparsers.add_parser(
        "create-user",
        help="create a console user (prompts for the password)",
        description="Create a user who signs in to the sales console.",
    )
    user_parser.add_argument("--email", required=True, help="the user's email")
    user_parser.add_argument(
        "--admin", action="store_true", help="let the user manage other users"
    )
    user_parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of prompting",
    )
    user_parser.set_defaults(handler=run_create_user)

    token_parser = subparsers.add_parser(
        "create-api-token",
        help="create a bearer token for the JSON API and print it once",
        description="Create a named API token; only its hash is stored.",
    )
    token_parser.add_argument("--name", required=True, help="what the token is for")
    token_parser.set_defaults(handler=run_create_api_token)


def run_create_user(args: argparse.Namespace) -> int:
    """Create a console user from the command line; return the exit code."""
    if not args.password_stdin and not sys.stdin.isatty():
        print(
            "error: no terminal to ask for the password; pipe it in with "
            "--password-stdin",
            file=sys.stderr,
        )
        return 2

    password = _read_password(args.password_stdin, sys.stdin)
    if password is None:
        print("error: the passwords do not match", file=sys.stderr)
        return 2

    try:
        accounts = _open_accounts()
        user_id = accounts.create_user(
            args.email, password, is_admin=args.admin, now=datetime.now(UTC)
        )
    except QualifierError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    role = "admin" if args.admin else "user"
    print(f"created {role} {user_id}")
    return 0


def run_create_api_token(args: argparse.Namespace) -> int:
    """Create an API token and print it; it cannot be shown again."""
    try:
        token = _open_accounts().create_api_token(args.name, now=datetime.now(UTC))
    except QualifierError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    print(token)
    print("Store this token now; it cannot be shown again.", file=sys.stderr)
    return 0


def _open_accounts() -> Accounts:
    store = LeadStore.connect(load_settings().database_url)
    store.migrate()
    return Accounts(store)


def _read_password(from_stdin: bool, stdin: TextIO) -> str | None:
    if from_stdin:
        return stdin.readline().rstrip("\r\n")

    password = getpass.getpass("Password: ")
    if getpass.getpass("Repeat the password: ") != password:
        return None

    return password
