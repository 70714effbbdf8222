"""The scoring profile: points and thresholds, loaded from a YAML file.

Marketing tunes the profile without a developer, so every value is checked on
load and a bad one raises ``ProfileError`` naming the file, the key and the
value. Each dimension has a kind that says which facts it reads; BANT and CHAMP
are two profiles over the same kinds with different names and weights.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from qualifier.errors import ProfileError
from qualifier.facts import DecisionRole, Seniority

_PROFILES_DIR = Path(__file__).parent / "profiles"

_E = TypeVar("_E", bound=enum.StrEnum)


class DimensionKind(enum.StrEnum):
    """Which facts a dimension reads."""

    BUDGET = "budget"
    TIMING = "timing"
    AUTHORITY = "authority"
    NEED = "need"
    FIT = "fit"
    ENGAGEMENT = "engagement"
    CONTACT = "contact"


class PageField(enum.StrEnum):
    """A field of the page context that a signal pattern can match."""

    PAGE_URL = "page_url"
    REFERRER = "referrer"
    UTM_SOURCE = "utm_source"
    UTM_MEDIUM = "utm_medium"
    UTM_CAMPAIGN = "utm_campaign"
    UTM_TERM = "utm_term"
    UTM_CONTENT = "utm_content"
    PAGES_SEEN = "pages_seen"


@dataclass(frozen=True)
class BudgetBand:
    """Points for an annual budget of at least ``min_annual``."""

    min_annual: float
    points: float
    label: str


@dataclass(frozen=True)
class BudgetRules:
    """How a budget scores; bands are sorted from the highest minimum down."""

    bands: tuple[BudgetBand, ...]
    unknown_points: float
    none_points: float


@dataclass(frozen=True)
class TimingBand:
    """Points for a start within ``max_days`` of today."""

    max_days: int
    points: float
    label: str


@dataclass(frozen=True)
class TimingRules:
    """How a time frame scores; bands are sorted from the nearest up.

    Attributes:
        later_points: For a start later than every band.
        urgent_points: Added when the need is urgent, for profiles that read
            urgency as a matter of priority (CHAMP's Prioritization).
    """

    bands: tuple[TimingBand, ...]
    later_points: float
    asap_points: float
    unknown_points: float
    none_points: float
    urgent_points: float


@dataclass(frozen=True)
class AuthorityRules:
    """Points per decision role and per seniority, added together."""

    role_points: Mapping[DecisionRole, float]
    seniority_points: Mapping[Seniority, float]


@dataclass(frozen=True)
class NeedRules:
    """Points per need category, plus a described pain and urgency."""

    category_points: Mapping[str, float]
    other_category_points: float
    pain_points: float
    urgent_points: float


@dataclass(frozen=True)
class SizeRange:
    """Points for a company with ``min_employees`` to ``max_employees``."""

    min_employees: int
    max_employees: int | None
    points: float
    label: str


@dataclass(frozen=True)
class FitRules:
    """How closely the company matches the ideal customer profile."""

    size_ranges: tuple[SizeRange, ...]
    industries: frozenset[str]
    industry_points: float
    other_industry_points: float


@dataclass(frozen=True)
class Signal:
    """An implicit signal: points when a page field matches a glob pattern."""

    name: str
    points: float
    reason: str
    patterns: Mapping[PageField, tuple[str, ...]]


@dataclass(frozen=True)
class EngagementRules:
    """Points for page signals and for using a trial of the product."""

    signals: tuple[Signal, ...]
    trial_points: float


@dataclass(frozen=True)
class ContactRules:
    """Points for the email: a business domain scores above a free-mail one."""

    business_email_points: float
    free_mail_points: float
    missing_points: float


Rules = (
    BudgetRules
    | TimingRules
    | AuthorityRules
    | NeedRules
    | FitRules
    | EngagementRules
    | ContactRules
)


@dataclass(frozen=True)
class Dimension:
    """One scored dimension: its name, the facts it reads and its points."""

    name: str
    kind: DimensionKind
    max_points: float
    rules: Rules


@dataclass(frozen=True)
class Thresholds:
    """Scores on the 0-100 scale where a lead becomes warm, hot or an MQL."""

    hot: float
    warm: float
    mql: float


@dataclass(frozen=True)
class SqlRule:
    """What a hot lead also needs to be sales-qualified.

    Attributes:
        decision_roles: The roles that count; empty means any role, or none.
        required: Names of the dimensions that must be known.
    """

    decision_roles: frozenset[DecisionRole]
    required: tuple[str, ...]


@dataclass(frozen=True)
class ScoringProfile:
    """Everything scoring needs, as loaded from a profile file.

    Attributes:
        currency: The currency budget bands are written in.
        currency_rates: Value of one unit of each currency in ``currency``.
        free_mail_domains: Lower-case glob patterns such as ``gmx.*``.
    """

    name: str
    currency: str
    currency_rates: Mapping[str, float]
    dimensions: tuple[Dimension, ...]
    free_mail_domains: tuple[str, ...]
    thresholds: Thresholds
    sql: SqlRule


def default_profile_path(name: str) -> Path:
    """Return the path of a profile shipped with the package.

    Args:
        name: The file name without extension, such as ``"bant"``.

    Raises:
        ProfileError: If no shipped profile has that name.
    """
    path = _PROFILES_DIR / f"{name}.yml"
    if name.isidentifier() and path.is_file():
        return path

    shipped = sorted(p.stem for p in _PROFILES_DIR.glob("*.yml"))
    msg = f"no shipped profile named {name!r}; use one of {shipped}"
    raise ProfileError(msg, path=path)


def load_profile(path: Path) -> ScoringProfile:
    """Load and check a scoring profile from a YAML file.

    Raises:
        ProfileError: If the file cannot be read or parsed, or a value is
            missing, of the wrong type or out of range.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read the profile ({exc.strerror}); check the path"
        raise ProfileError(msg, path=path) from exc
    except UnicodeDecodeError as exc:
        msg = "the profile is not UTF-8 text; save it as UTF-8"
        raise ProfileError(msg, path=path) from exc
    except yaml.YAMLError as exc:
        msg = f"not valid YAML ({exc}); fix the syntax"
        raise ProfileError(msg, path=path) from exc

    if not isinstance(data, dict):
        msg = f"the profile must be a mapping of keys, got {type(data).__name__}"
        raise ProfileError(msg, path=path)

    return _parse_profile(_Node(data, "", path))


# -- reading YAML with errors that say where ---------------------------------


@dataclass(frozen=True)
class _Node:
    """A mapping from the profile file and the dotted key it sits under."""

    data: Mapping[object, object]
    key: str
    path: Path

    def where(self, key: object) -> str:
        """Return the dotted key of a child."""
        return f"{self.key}.{key}" if self.key else str(key)

    def error(self, key: object, problem: str) -> ProfileError:
        """Build an error about a child key."""
        where = self.where(key)
        return ProfileError(f"key {where!r} {problem}", path=self.path, key=where)

    def raw(self, key: str) -> object:
        """Return a required child value."""
        if key not in self.data:
            raise self.error(key, "is missing; add it to the profile")

        return self.data[key]

    def section(self, key: str) -> _Node:
        """Return a required child mapping."""
        value = self.raw(key)
        if not isinstance(value, dict):
            raise self.error(key, f"must be a mapping, got {value!r}")

        return _Node(value, self.where(key), self.path)

    def sections(self, key: str) -> list[_Node]:
        """Return a required child list of mappings."""
        items = self.raw(key)
        if not isinstance(items, list):
            raise self.error(key, f"must be a list, got {items!r}")

        nodes = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{index}]", f"must be a mapping, got {item!r}")

            nodes.append(_Node(item, self.where(f"{key}[{index}]"), self.path))

        return nodes

    def number(
        self,
        key: str,
        *,
        default: float | None = None,
        maximum: float | None = None,
    ) -> float:
        """Return a child number from 0 up to ``maximum``."""
        if key not in self.data and default is not None:
            return default

        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"must be a number, got {value!r}")

        if value < 0 or (maximum is not None and value > maximum):
            top = "" if maximum is None else f" and at most {maximum:g}"
            raise self.error(key, f"must be at least 0{top}, got {value!r}")

        return float(value)

    def points(self, key: str, top: float) -> float:
        """Return optional child points from 0 up to ``top``; 0 if absent."""
        return self.number(key, default=0, maximum=top)

    def integer(self, key: str) -> int:
        """Return a child whole number of at least 0."""
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.error(key, f"must be a whole number >= 0, got {value!r}")

        return value

    def optional_integer(self, key: str) -> int | None:
        """Return a child whole number of at least 0, or None if absent."""
        return self.integer(key) if key in self.data else None

    def text(self, key: str, *, default: str | None = None) -> str:
        """Return a child non-empty string."""
        if key not in self.data and default is not None:
            return default

        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, got {value!r}")

        return value.strip()

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        """Return a child list of strings, lower-cased."""
        if key not in self.data and not required:
            return ()

        values = self.raw(key)
        if not isinstance(values, list) or not all(
            isinstance(v, str) and v.strip() for v in values
        ):
            raise self.error(key, f"must be a list of strings, got {values!r}")

        return tuple(v.strip().lower() for v in values)

    def points_map(self, key: str, maximum: float) -> dict[str, float]:
        """Return a child mapping of names to points."""
        section = self.section(key)
        return {
            str(name).lower(): section.number(str(name), maximum=maximum)
            for name in section.data
        }

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Reject keys that nothing reads, which are most likely typos."""
        known_keys = set(allowed)
        for key in self.data:
            if key not in known_keys:
                known = ", ".join(sorted(known_keys))
                raise self.error(key, f"is not known here; use one of: {known}")


def _to_enum(node: _Node, key: str, name: str, kind: type[_E]) -> _E:
    """Turn a name from the file into an enum member."""
    values = [member.value for member in kind]
    if name not in values:
        raise node.error(key, f"must be one of {values}, got {name!r}")

    return kind(name)


def _enum_keys(
    node: _Node, key: str, points: dict[str, float], kind: type[_E]
) -> dict[_E, float]:
    """Turn the names of a points mapping into enum members."""
    return {
        _to_enum(node, f"{key}.{name}", name, kind): value
        for name, value in points.items()
    }


# -- the profile and its parts -------------------------------------------------

_PROFILE_KEYS = (
    "name",
    "currency",
    "currency_rates",
    "free_mail_domains",
    "thresholds",
    "sql",
    "dimensions",
)


def _parse_profile(root: _Node) -> ScoringProfile:
    """Build the profile from the file's top-level mapping."""
    root.check_keys(_PROFILE_KEYS)
    currency = root.text("currency").upper()
    dimensions = _parse_dimensions(root.section("dimensions"))

    return ScoringProfile(
        name=root.text("name"),
        currency=currency,
        currency_rates=_parse_rates(root.section("currency_rates"), currency),
        dimensions=dimensions,
        free_mail_domains=root.texts("free_mail_domains"),
        thresholds=_parse_thresholds(root.section("thresholds")),
        sql=_parse_sql(root.section("sql"), dimensions),
    )


def _parse_rates(node: _Node, currency: str) -> dict[str, float]:
    """Read the exchange rates into the profile's currency."""
    rates = {currency: 1.0}
    for code in node.data:
        rate = node.number(str(code))
        if rate == 0 or not str(code).isalpha() or len(str(code)) != 3:
            msg = f"must be a 3-letter currency with a rate above 0, got {rate!r}"
            raise node.error(code, msg)

        rates[str(code).upper()] = rate

    if rates[currency] != 1.0:
        raise node.error(currency, "is the profile's currency; its rate must be 1")

    return rates


def _parse_thresholds(node: _Node) -> Thresholds:
    """Read the tier and stage thresholds and check their order."""
    node.check_keys(("hot", "warm", "mql"))
    thresholds = Thresholds(
        hot=node.number("hot", maximum=100),
        warm=node.number("warm", maximum=100),
        mql=node.number("mql", maximum=100),
    )
    if thresholds.warm >= thresholds.hot:
        msg = f"must be below hot ({thresholds.hot:g}), got {thresholds.warm:g}"
        raise node.error("warm", msg)

    if thresholds.mql > thresholds.hot:
        msg = f"must not exceed hot ({thresholds.hot:g}), got {thresholds.mql:g}"
        raise node.error("mql", msg)

    return thresholds


def _parse_sql(node: _Node, dimensions: tuple[Dimension, ...]) -> SqlRule:
    """Read what a hot lead needs to be sales-qualified."""
    node.check_keys(("decision_roles", "required"))
    roles = node.texts("decision_roles")
    required = node.texts("required")
    names = sorted(dimension.name for dimension in dimensions)
    for name in required:
        if name not in names:
            msg = f"must name dimensions among {names}, got unknown {name!r}"
            raise node.error("required", msg)

    return SqlRule(
        decision_roles=frozenset(
            _to_enum(node, "decision_roles", role, DecisionRole) for role in roles
        ),
        required=required,
    )


def _parse_dimensions(node: _Node) -> tuple[Dimension, ...]:
    """Read every dimension and check each kind is used once."""
    if not node.data:
        msg = "key 'dimensions' is empty; add at least one dimension"
        raise ProfileError(msg, path=node.path, key=node.key)

    dimensions = tuple(_parse_dimension(node, str(name)) for name in node.data)
    seen: dict[DimensionKind, str] = {}
    for dimension in dimensions:
        if dimension.kind in seen:
            other = seen[dimension.kind]
            msg = f"repeats kind {dimension.kind.value!r} of {other!r}; keep one"
            raise node.error(dimension.name, msg)

        seen[dimension.kind] = dimension.name

    return dimensions


def _parse_dimension(parent: _Node, name: str) -> Dimension:
    """Read one dimension; its kind defaults to its name."""
    node = parent.section(name)
    kind_name = node.text("kind", default=name).lower()
    kinds = [kind.value for kind in DimensionKind]
    if kind_name not in kinds:
        msg = (
            f"names unknown dimension kind {kind_name!r} (the kind defaults to "
            f"the dimension's name); set 'kind' to one of {kinds}"
        )
        raise node.error("kind", msg)

    kind = DimensionKind(kind_name)
    parse, keys = _RULE_PARSERS[kind]
    node.check_keys(("kind", "max_points", *keys))
    max_points = node.number("max_points")
    if max_points == 0:
        raise node.error("max_points", "must be above 0, got 0; or drop the dimension")

    rules = parse(node, max_points)
    return Dimension(name=name.lower(), kind=kind, max_points=max_points, rules=rules)


def _parse_budget(node: _Node, top: float) -> BudgetRules:
    """Read budget bands by annual amount in the profile's currency."""
    bands = [_parse_budget_band(band, top) for band in node.sections("bands")]

    return BudgetRules(
        bands=tuple(sorted(bands, key=lambda band: band.min_annual, reverse=True)),
        unknown_points=node.points("unknown_points", top),
        none_points=node.points("none_points", top),
    )


def _parse_budget_band(node: _Node, top: float) -> BudgetBand:
    """Read one budget band."""
    node.check_keys(("min_annual", "points", "label"))
    low = node.number("min_annual")

    return BudgetBand(
        min_annual=low,
        points=node.number("points", maximum=top),
        label=node.text("label", default=f"from {low:,.0f}"),
    )


def _parse_timing(node: _Node, top: float) -> TimingRules:
    """Read timing bands by days until the start."""
    bands = [_parse_timing_band(band, top) for band in node.sections("bands")]

    return TimingRules(
        bands=tuple(sorted(bands, key=lambda band: band.max_days)),
        later_points=node.points("later_points", top),
        asap_points=node.points("asap_points", top),
        unknown_points=node.points("unknown_points", top),
        none_points=node.points("none_points", top),
        urgent_points=node.points("urgent_points", top),
    )


def _parse_timing_band(node: _Node, top: float) -> TimingBand:
    """Read one timing band."""
    node.check_keys(("max_days", "points", "label"))
    days = node.integer("max_days")

    return TimingBand(
        max_days=days,
        points=node.number("points", maximum=top),
        label=node.text("label", default=f"within {days} days"),
    )


def _parse_authority(node: _Node, top: float) -> AuthorityRules:
    """Read points per decision role and per seniority."""
    roles = node.points_map("decision_roles", top)
    seniority = node.points_map("seniority", top)

    return AuthorityRules(
        role_points=_enum_keys(node, "decision_roles", roles, DecisionRole),
        seniority_points=_enum_keys(node, "seniority", seniority, Seniority),
    )


def _parse_need(node: _Node, top: float) -> NeedRules:
    """Read points per need category, pain and urgency."""
    return NeedRules(
        category_points=node.points_map("categories", top),
        other_category_points=node.points("other_category_points", top),
        pain_points=node.points("pain_points", top),
        urgent_points=node.points("urgent_points", top),
    )


def _parse_fit(node: _Node, top: float) -> FitRules:
    """Read the ICP company-size ranges and target industries."""
    ranges = tuple(
        _parse_size_range(item, top) for item in node.sections("company_sizes")
    )

    return FitRules(
        size_ranges=ranges,
        industries=frozenset(node.texts("industries", required=False)),
        industry_points=node.points("industry_points", top),
        other_industry_points=node.points("other_industry_points", top),
    )


def _parse_size_range(node: _Node, top: float) -> SizeRange:
    """Read one company-size range and check its bounds."""
    node.check_keys(("min", "max", "points", "label"))
    low = node.integer("min")
    high = node.optional_integer("max")
    if high is not None and high < low:
        raise node.error("max", f"must not be below min ({low}), got {high}")

    default_label = f"{low}+" if high is None else f"{low}-{high}"
    return SizeRange(
        min_employees=low,
        max_employees=high,
        points=node.number("points", maximum=top),
        label=node.text("label", default=default_label),
    )


def _parse_engagement(node: _Node, top: float) -> EngagementRules:
    """Read the page signals and the points for a trial."""
    signals = node.section("signals")

    return EngagementRules(
        signals=tuple(_parse_signal(signals, str(name), top) for name in signals.data),
        trial_points=node.points("trial_points", top),
    )


def _parse_signal(parent: _Node, name: str, top: float) -> Signal:
    """Read one page signal and its glob patterns per page field."""
    node = parent.section(name)
    node.check_keys(("points", "reason", "match"))
    match = node.section("match")
    match.check_keys(field.value for field in PageField)
    if not match.data:
        raise node.error("match", "is empty; add at least one field with patterns")

    return Signal(
        name=name,
        points=node.number("points", maximum=top),
        reason=node.text("reason", default=name),
        patterns={PageField(str(key)): match.texts(str(key)) for key in match.data},
    )


def _parse_contact(node: _Node, top: float) -> ContactRules:
    """Read the email points; a free-mail address must not outscore a business one."""
    rules = ContactRules(
        business_email_points=node.number("business_email_points", maximum=top),
        free_mail_points=node.number("free_mail_points", maximum=top),
        missing_points=node.points("missing_points", top),
    )
    if rules.free_mail_points > rules.business_email_points:
        business = rules.business_email_points
        msg = (
            f"must not exceed business_email_points ({business:g}), "
            f"got {rules.free_mail_points:g}"
        )
        raise node.error("free_mail_points", msg)

    return rules


_RuleParser = Callable[[_Node, float], Rules]

_RULE_PARSERS: dict[DimensionKind, tuple[_RuleParser, tuple[str, ...]]] = {
    DimensionKind.BUDGET: (_parse_budget, ("bands", "unknown_points", "none_points")),
    DimensionKind.TIMING: (
        _parse_timing,
        (
            "bands",
            "later_points",
            "asap_points",
            "unknown_points",
            "none_points",
            "urgent_points",
        ),
    ),
    DimensionKind.AUTHORITY: (_parse_authority, ("decision_roles", "seniority")),
    DimensionKind.NEED: (
        _parse_need,
        ("categories", "other_category_points", "pain_points", "urgent_points"),
    ),
    DimensionKind.FIT: (
        _parse_fit,
        ("company_sizes", "industries", "industry_points", "other_industry_points"),
    ),
    DimensionKind.ENGAGEMENT: (_parse_engagement, ("signals", "trial_points")),
    DimensionKind.CONTACT: (
        _parse_contact,
        ("business_email_points", "free_mail_points", "missing_points"),
    ),
}
