"""Console accounts: reps, their browser sessions and API tokens.

Passwords are hashed with scrypt; session and API tokens are random and only
their SHA-256 hashes are stored, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from qualifier.errors import QualifierError
from qualifier.models import ApiToken, ConsoleSession, User
from qualifier.store import LeadStore, as_utc

logger = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
SESSION_LIFETIME = timedelta(hours=12)
API_TOKEN_PREFIX = "ll_"
EMAIL_PATTERN = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")

# scrypt cost: 16 MiB of memory and about 50 ms per hash on a laptop.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SCRYPT_LENGTH = 32
# Verified against when the email is unknown, so both cases take as long.
_DUMMY_HASH = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)


class AccountError(QualifierError):
    """Raised when an account or API token cannot be created as asked."""


@dataclass(frozen=True)
class SignedIn:
    """A valid console session and who it belongs to.

    Attributes:
        user_id: The signed-in user.
        email: That user's email, shown in the console header.
        is_admin: Whether the user may manage other users.
        csrf_token: The token every POST of this session must carry.
        expires_at: When the session stops being valid.
    """

    user_id: int
    email: str
    is_admin: bool
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie token is only known here."""

    token: str
    signed_in: SignedIn


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of ``password`` in a self-describing string."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Tell whether ``password`` matches a hash made by ``hash_password``."""
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or len(password) > MAX_PASSWORD_LENGTH:
        return False

    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt, expected = _unb64(parts[4]), _unb64(parts[5])
        digest = _scrypt(password, salt, n=n, r=r, p=p)
    except ValueError:
        return False

    return hmac.compare_digest(digest, expected)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a random token, as stored in the database."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Return ``email`` trimmed and lower-cased.

    Raises:
        AccountError: The value does not look like an email address.
    """
    cleaned = email.strip().lower()
    if not EMAIL_PATTERN.fullmatch(cleaned):
        msg = f"{email!r} is not an email address; use e.g. 'rep@example.com'"
        raise AccountError(msg)

    return cleaned


class Accounts:
    """Create users, sign them in and out, and check API tokens."""

    def __init__(self, store: LeadStore) -> None:
        self.store = store

    def create_user(
        self, email: str, password: str, *, is_admin: bool, now: datetime
    ) -> int:
        """Create a console user and return its id.

        Raises:
            AccountError: The email is invalid or taken, or the password is
                too short or too long.
        """
        address = normalize_email(email)
        _check_password(password)
        user = User(
            email=address,
            password_hash=hash_password(password),
            is_admin=is_admin,
            active=True,
            created_at=now,
        )
        try:
            with self.store.session() as session:
                session.add(user)
                session.flush()
                user_id = user.id
        except IntegrityError as exc:
            msg = f"a user with the email {address!r} already exists"
            raise AccountError(msg) from exc

        logger.info("user.created user_id=%s admin=%s", user_id, is_admin)
        return user_id

    def count_users(self) -> int:
        """Return how many console users exist."""
        with self.store.session() as session:
            return session.scalar(select(func.count(User.id))) or 0

    def sign_in(self, email: str, password: str, *, now: datetime) -> NewSession | None:
        """Open a session when the email and password match an active user."""
        user = self._user_by_email(email.strip().lower())
        if user is None or not user.active:
            verify_password(password, _DUMMY_HASH)
            logger.info("user.sign_in_refused")
            return None

        if not verify_password(password, user.password_hash):
            logger.info("user.sign_in_refused user_id=%s", user.id)
            return None

        new_session = self._open_session(user, now=now)
        logger.info("user.signed_in user_id=%s", user.id)
        return new_session

    def session_for(self, token: str, *, now: datetime) -> SignedIn | None:
        """Return the live session a cookie token belongs to, or None."""
        query = (
            select(ConsoleSession, User)
            .join(User)
            .where(ConsoleSession.token_hash == hash_token(token))
        )
        with self.store.session() as session:
            row = session.execute(query).one_or_none()
            if row is None:
                return None

            console_session, user = row
            if as_utc(console_session.expires_at) <= as_utc(now) or not user.active:
                return None

            return _signed_in(console_session, user)

    def sign_out(self, token: str) -> None:
        """End the session a cookie token belongs to, if any."""
        query = delete(ConsoleSession).where(
            ConsoleSession.token_hash == hash_token(token)
        )
        with self.store.session() as session:
            session.execute(query)

        logger.info("user.signed_out")

    def create_api_token(self, name: str, *, now: datetime) -> str:
        """Create a named API token and return it; only its hash is kept.

        Raises:
            AccountError: The name is empty, too long or already used.
        """
        cleaned = name.strip()
        if not 1 <= len(cleaned) <= 100:
            msg = f"an API token name must have 1 to 100 characters, got {name!r}"
            raise AccountError(msg)

        token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = ApiToken(name=cleaned, token_hash=hash_token(token), created_at=now)
        try:
            with self.store.session() as session:
                session.add(record)
                session.flush()
                token_id = record.id
        except IntegrityError as exc:
            msg = f"an API token named {cleaned!r} already exists; choose another name"
            raise AccountError(msg) from exc

        logger.info("api_token.created token_id=%s", token_id)
        return token

    def api_token_id(self, token: str) -> int | None:
        """Return the id of the unrevoked API token ``token``, or None."""
        if not token.startswith(API_TOKEN_PREFIX) or len(token) > 200:
            return None

        query = select(ApiToken.id).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
        with self.store.session() as session:
            return session.scalar(query)

    def _user_by_email(self, email: str) -> User | None:
        with self.store.session() as session:
            return session.scalars(select(User).where(User.email == email)).first()

    def _open_session(self, user: User, *, now: datetime) -> NewSession:
        token = secrets.token_urlsafe(32)
        record = ConsoleSession(
            token_hash=hash_token(token),
            csrf_token=secrets.token_urlsafe(32),
            user_id=user.id,
            created_at=now,
            expires_at=as_utc(now) + SESSION_LIFETIME,
        )
        with self.store.session() as session:
            session.execute(
                delete(ConsoleSession).where(ConsoleSession.expires_at <= as_utc(now))
            )
            session.add(record)

        return NewSession(token=token, signed_in=_signed_in(record, user))


def _signed_in(console_session: ConsoleSession, user: User) -> SignedIn:
    return SignedIn(
        user_id=user.id,
        email=user.email,
        is_admin=user.is_admin,
        csrf_token=console_session.csrf_token,
        expires_at=as_utc(console_session.expires_at),
    )


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        msg = (
            f"a password must have {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} "
            f"characters, got {len(password)}"
        )
        raise AccountError(msg)


def _scrypt(password: str, salt: bytes, *, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=64 * 1024 * 1024,
        dklen=_SCRYPT_LENGTH,
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not base64: {text!r}") from exc
