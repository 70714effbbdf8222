"""Read a budget (amount, range, currency, period) or its absence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualifier.facts import Budget, BudgetPeriod, BudgetStatus
from qualifier.lexicon import Lexicon
from qualifier.numbers import Quantity, find_quantities
from qualifier.spans import after, before, make_span, sentence

_I = re.IGNORECASE
_BUDGET_WORDS = re.compile(
    r"\b(?:budget\w*|spend\w*|afford|allocat\w+|set aside|earmark\w*|invest|"
    r"pay|paying|willing|looking at|can do|could do|stretch|max|cap|ceiling|"
    r"price range|ballpark)\b",
    _I,
)
_NONE = re.compile(
    r"\b(?:(?:no|zero|without (?:a |any )?)(?: real| actual| dedicated| set)? budget"
    r"(?! (?:limit|constraint|cap|issue|problem|concern))|"
    r"(?:don'?t|do not|doesn'?t|does not|haven'?t|have not|didn'?t)"
    r"(?: yet| really| currently)? (?:have|got|get) (?:a |any |the )?(?:\w+ )?budget|"
    r"budget (?:is not|isn'?t|hasn'?t been|has not been|wasn'?t) "
    r"(?:yet )?(?:set|allocated|approved|defined|there)|"
    r"not budgeted|nothing (?:allocated|budgeted|set aside)|no money (?:for|set aside)|"
    r"(?:can'?t|cannot) (?:afford|spend) (?:anything|much))",
    _I,
)
_NO_CONCERN = re.compile(
    r"\b(?:budget (?:is|isn'?t|is not|won'?t be|shouldn'?t be)(?: not)? "
    r"(?:an? )?(?:issue|problem|concern)|money is no object|no budget "
    r"(?:limit|constraint|cap|issue|problem|concern)s?)\b",
    _I,
)
_UNKNOWN = re.compile(
    r"\b(?:not sure|unsure|no idea|(?:don'?t|do not|dunno) (?:know|really know)|"
    r"(?:it )?depends|hard to say|tbd|to be (?:determined|confirmed|decided)|"
    r"(?:haven'?t|have not|not) (?:yet )?(?:decided|defined|set|figured)|undecided|"
    r"no clue|still (?:working|figuring) (?:it|that|this) out|flexible|"
    r"not (?:yet )?(?:known|clear)|open to (?:suggestions|options))\b",
    _I,
)
_UNKNOWN_TOPIC = re.compile(r"\b(?:budget\w*|spend|pay|cost|price|pricing)\b", _I)
_EXPECTED_NONE = re.compile(
    r"^\W*(?:none|nothing|zero|nil|n/?a|0|\$0|no|nope|not yet)\W*$", _I
)

_APPROX = re.compile(
    r"(?:around|about|approx(?:imately|\.)?|roughly|~|circa|ca\.|something like|"
    r"in the (?:region|range|ballpark) of|ballpark(?: of)?|give or take|close to|"
    r"near|somewhere around|probably)\s*$",
    _I,
)
_APPROX_AFTER = re.compile(r"^\s*-?\s*(?:ish\b|or so\b|give or take\b)", _I)
_MAX_BEFORE = re.compile(
    r"(?:up to|upto|max(?:imum)?(?: of)?|no more than|not more than|under|below|"
    r"less than|at most|capped at|a cap of|ceiling of|within|not exceeding|"
    r"won'?t go (?:over|above)|can'?t go (?:over|above)|stretch to)\s*:?\s*$",
    _I,
)
_MAX_AFTER = re.compile(r"^\s*(?:max(?:imum)?|tops|at most|or less|at the most)\b", _I)
_MIN_BEFORE = re.compile(
    r"(?:at least|min(?:imum)?(?: of)?|over|more than|above|north of|upwards of|"
    r"starting (?:at|from)|no less than|in excess of|minimum)\s*:?\s*$",
    _I,
)
_MIN_AFTER = re.compile(r"^\s*(?:or more|and up|plus|minimum|at least|or above)\b", _I)
_RANGE_GAP = re.compile(r"^\s*(?:-|\u2013|—|to|and|or)\s*$", _I)

_MONTH = re.compile(
    r"^\s*(?:/\s*(?:mo|month|mth)\b|(?:a|per|each|every|/)\s*(?:month|mo|mth)\b|"
    r"monthly\b|p/?m\b|p\.m\.|pcm\b|mo\b)",
    _I,
)
_YEAR = re.compile(
    r"^\s*(?:/\s*(?:yr|year|y|annum)\b|(?:a|per|each|every)\s*(?:year|yr|annum)\b|"
    r"annually\b|yearly\b|p\.?a\.?(?!\w)|annual\b)",
    _I,
)
_ONE_OFF = re.compile(
    r"^\s*(?:one[- ]?off|one[- ]time|total|in total|all[- ]in|upfront|up front|"
    r"lump sum|once)\b",
    _I,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?:(?P<month>monthly|per month|a month)|(?P<year>annual|yearly|per year|a year|"
    r"annually|per annum)|(?P<oneoff>one[- ]?off|one[- ]time|total|upfront))\b",
    _I,
)

_PER_UNIT = re.compile(
    r"^\s*(?:/|per|a|an|each|for each)\s*(?:seat|user|licen[cs]e|agent|head|person|"
    r"member|lead|contact|conversation|chat|visitor|employee|rep|login|hour|hr|"
    r"unit|click|mql|sql)s?\b",
    _I,
)
_PER_UNIT_TAIL = re.compile(
    r"^\s*(?:/|per|a)\s*(?:month|mo|year|yr)\s*(?:/|per|a|each)\s*(?:seat|user|"
    r"licen[cs]e|agent|head|person|member)s?\b",
    _I,
)
_REVENUE_BEFORE = re.compile(
    r"(?:\b(?:we|we're|we are|they|company|business|it)\s+(?:currently\s+|already\s+)?"
    r"(?:do|doing|did|make|making|made|generate|generating|bring in|"
    r"bringing in|turn over|turning over|gross|earn|earning)|"
    r"\b(?:doing|generating|grossing|turning over|bringing in)|revenue of|"
    r"revenue is|arr of|arr is|turnover of|valued at|valuation of)\s*"
    r"(?:(?:about|around|over|roughly|almost|nearly)\s*|~)?$",
    _I,
)
_REVENUE_AFTER = re.compile(
    r"^\s*(?:[a-z]+\s+)?(?:in\s+|of\s+)?(?:revenue|arr|mrr|turnover|sales|gmv|"
    r"valuation|profit|ebitda|top[- ]line)\b",
    _I,
)
_FUNDING = re.compile(
    r"\b(?:raised?|raising|funding|funded|series [a-e]|seed|pre-seed|investors?|"
    r"round)\b",
    _I,
)
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:anything|purchases?|spend(?:ing)?|deals?|contracts?|expenses?|things?|"
    r"orders?)\s+(?:over|above|more than|exceeding|greater than|beyond|of more than)"
    r"\s*$",
    _I,
)
_APPROVAL = re.compile(r"\b(?:approv\w*|sign[- ]?off|signs off|sign off)\b", _I)
_LOSS_BEFORE = re.compile(
    r"\b(?:losing|lose|lost|costs? us|costing us|wasting|wasted|salary|salaries|"
    r"paid|fine|fined)\b[^.]*$",
    _I,
)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:[$€£¥₹]|(?-i:[A-Z]{3})\b|(?:us )?dollars?\b|euros?\b|pounds?\b|bucks\b|"
    r"quid\b|sterling\b|francs\b|rupees\b|yen\b)",
    _I,
)
_UNIT_AFTER = re.compile(
    r"^\s*-?\s*(?:people|persons?|employees?|staff|users?|seats?|licen[cs]es?|"
    r"agents?|days?|weeks?|months?|years?|yrs?|hours?|mins?|minutes?|%|percent|"
    r"leads?|customers?|clients?|visitors?|visits|times|x\b|tickets?|chats?|"
    r"conversations?|calls?|demos?|meetings?|emails?|contacts?|members?|reps?|"
    r"engineers?|developers?|locations?|stores?|countries|sites?|pages?|am\b|pm\b|"
    r"st\b|nd\b|rd\b|th\b|of (?:us|them))(?![a-z])",
    _I,
)


@dataclass(frozen=True)
class Amount:
    """One money amount or range found in a message."""

    start: int
    end: int
    low: float
    high: float
    currency: str | None
    plus: bool
    scaled: bool


def parse_budget(
    text: str, lexicon: Lexicon, *, default_currency: str, expected: bool
) -> tuple[Budget | None, list[str]]:
    """Read the visitor's budget from one message.

    Args:
        text: The visitor's message.
        lexicon: Currency tables.
        default_currency: ISO code used when no currency is written.
        expected: True when the assistant just asked for the budget, so a bare
            number ("50k") counts.

    Returns:
        The budget, or None, and notes naming amounts that were skipped
        because they are not a budget (revenue, funding, per-seat prices).
    """
    notes: list[str] = []
    budgets: list[Budget] = []
    for amount in find_amounts(text, lexicon):
        reason = _not_budget_reason(text, amount)
        if reason:
            notes.append(f"budget.ignored:{reason}")
            continue

        budget = _budget_from_amount(text, amount, default_currency, expected)
        if budget is not None:
            budgets.append(budget)

    if budgets:
        return max(budgets, key=lambda b: b.confidence), notes

    return _budget_status(text, expected), notes


def find_amounts(text: str, lexicon: Lexicon) -> list[Amount]:
    """Find amounts and ranges, with any currency written beside them.

    Args:
        text: The visitor's message.
        lexicon: Currency tables.

    Returns:
        Amounts in order; a range such as "10-20k" is one amount.
    """
    quantities = find_quantities(text)
    amounts: list[Amount] = []
    index = 0
    while index < len(quantities):
        first = quantities[index]
        second = quantities[index + 1] if index + 1 < len(quantities) else None
        if second is not None and _is_range(text, first, second, lexicon):
            amounts.append(_range_amount(text, first, second, lexicon))
            index += 2
            continue

        amounts.append(_single_amount(text, first, lexicon))
        index += 1

    return amounts


def _is_range(text: str, first: Quantity, second: Quantity, lexicon: Lexicon) -> bool:
    """Tell whether two quantities form a range such as "10k to 20k"."""
    gap = text[first.end : second.start]
    gap = _strip_currency(gap, lexicon)
    return bool(_RANGE_GAP.match(gap))


def _strip_currency(gap: str, lexicon: Lexicon) -> str:
    """Remove currency symbols and codes from a short gap of text."""
    for symbol in sorted(lexicon.currency_symbols, key=len, reverse=True):
        gap = gap.replace(symbol, " ")

    words = [w for w in gap.split() if w.upper() not in lexicon.currency_codes]
    words = [w for w in words if w.lower() not in lexicon.currency_words]
    return " " + " ".join(words) + " " if words else " "


def _range_amount(
    text: str, first: Quantity, second: Quantity, lexicon: Lexicon
) -> Amount:
    """Build a range, carrying a trailing scale back to the first number."""
    low = first.value
    if (
        not first.scaled
        and second.scaled
        and first.value * second.scale <= second.value
    ):
        low = first.value * second.scale

    gap = text[first.end : second.start]
    currency = (
        _currency_before(text, first.start, lexicon)
        or _currency_in(gap, lexicon)
        or _currency_after(text, second.end, lexicon)
    )
    scaled = first.scaled or second.scaled
    return Amount(first.start, second.end, low, second.value, currency, False, scaled)


def _single_amount(text: str, quantity: Quantity, lexicon: Lexicon) -> Amount:
    """Build a single amount with the currency written around it."""
    currency = _currency_before(text, quantity.start, lexicon) or _currency_after(
        text, quantity.end, lexicon
    )
    return Amount(
        quantity.start,
        quantity.end,
        quantity.value,
        quantity.value,
        currency,
        quantity.plus,
        quantity.scaled,
    )


def _currency_before(text: str, start: int, lexicon: Lexicon) -> str | None:
    """Read a currency symbol or code just before start."""
    head = text[max(0, start - 5) : start].rstrip()
    for symbol in sorted(lexicon.currency_symbols, key=len, reverse=True):
        if head.endswith(symbol) and not _is_word_tail(head, symbol):
            return lexicon.currency_symbols[symbol]

    code = re.search(r"\b([A-Za-z]{3})$", head)
    if (
        code
        and code.group(1).upper() in lexicon.currency_codes
        and code.group(1).isupper()
    ):
        return code.group(1).upper()

    return None


def _is_word_tail(head: str, symbol: str) -> bool:
    """Tell whether a letter symbol such as "kr" ends a longer word."""
    if not symbol.isalpha():
        return False

    rest = head[: -len(symbol)]
    return bool(rest) and rest[-1].isalpha()


def _currency_after(text: str, end: int, lexicon: Lexicon) -> str | None:
    """Read a currency symbol, code or word just after end."""
    tail = text[end : end + 12]
    stripped = tail.lstrip()
    for symbol in sorted(lexicon.currency_symbols, key=len, reverse=True):
        if stripped.startswith(symbol) and not symbol.isalpha():
            return lexicon.currency_symbols[symbol]

    word = re.match(r"\s*([A-Za-z]+)", tail)
    if word is None:
        return None

    token = word.group(1)
    if token.upper() in lexicon.currency_codes and (token.isupper() or len(token) == 3):
        return token.upper() if token.upper() in lexicon.currency_codes else None

    return lexicon.currency_words.get(token.lower())


def _currency_in(gap: str, lexicon: Lexicon) -> str | None:
    """Read a currency symbol written inside a range gap ("$10k-$20k")."""
    for symbol in sorted(lexicon.currency_symbols, key=len, reverse=True):
        if symbol in gap and not symbol.isalpha():
            return lexicon.currency_symbols[symbol]

    return None


def _not_budget_reason(text: str, amount: Amount) -> str | None:
    """Name why an amount is not a budget, or return None if it may be."""
    head = before(text, amount.start, 45).rstrip(" $€£¥₹~")
    tail = text[amount.end : amount.end + 30]
    if _PER_UNIT.match(tail) or _PER_UNIT_TAIL.match(tail):
        return "per-unit-price"

    if _REVENUE_BEFORE.search(head) or _REVENUE_AFTER.match(after(text, amount.end)):
        return "revenue"

    if _FUNDING.search(head) or _FUNDING.search(after(text, amount.end, 25)):
        return "funding"

    if _THRESHOLD_BEFORE.search(head) or (
        _APPROVAL.search(sentence(text, amount.start, amount.end))
        and re.search(r"\b(?:over|above|more than|exceeding)\s*$", head, _I)
    ):
        return "approval-threshold"

    if _LOSS_BEFORE.search(head):
        return "loss-or-cost"

    return None


def _budget_from_amount(
    text: str, amount: Amount, default_currency: str, expected: bool
) -> Budget | None:
    """Turn an amount into a budget if its wording makes it one."""
    confidence = _money_confidence(text, amount, expected)
    if confidence == 0.0:
        return None

    head = before(text, amount.start, 35)
    head = re.sub(r"[^\w\s~]+\s*$", "", head)
    head = re.sub(r"\b[A-Z]{3}\s*$", "", head)
    amount_end = amount.end + _currency_width(text[amount.end : amount.end + 12])
    tail = text[amount_end : amount_end + 30]
    period, period_end = _period(text, amount_end, amount, tail)
    if period_end > amount_end:
        tail = text[period_end : period_end + 30]

    low, high, approximate = _bounds(amount, head, tail)
    span_start = _modifier_start(text, amount.start, head)
    return Budget(
        status=BudgetStatus.KNOWN,
        min=low,
        max=high,
        currency=amount.currency or default_currency,
        period=period,
        approximate=approximate,
        confidence=confidence,
        span=make_span(text, span_start, max(period_end, amount_end)),
    )


def _currency_width(tail: str) -> int:
    """Count the characters of a currency written right after an amount."""
    match = _CURRENCY_AFTER.match(tail)
    return match.end() if match else 0


def _money_confidence(text: str, amount: Amount, expected: bool) -> float:
    """Say how sure we are that an amount is money meant as a budget."""
    tail = text[amount.end : amount.end + 25]
    if _UNIT_AFTER.match(tail):
        return 0.0

    context = _BUDGET_WORDS.search(sentence(text, amount.start, amount.end))
    grand = bool(re.search(r"\bgrand\b", text[amount.start : amount.end], _I))
    if amount.currency or grand:
        return 0.9 if context or expected else 0.7

    plausible = amount.scaled or amount.high >= 100
    if _looks_like_year(amount) or not plausible:
        return 0.0

    if expected:
        return 0.8

    if context:
        return 0.75

    # "30k a year" is how visitors state a budget without saying "budget".
    return 0.6 if amount.scaled and _PER_PERIOD.match(tail) else 0.0


_PER_PERIOD = re.compile(
    r"\s*(?:a|an|per|/|each|every)\s*(?:year|yr|annum|month|mo|quarter)\b", re.I
)


def _looks_like_year(amount: Amount) -> bool:
    """Tell whether a bare number is probably a year ("in 2027")."""
    return (
        not amount.scaled and amount.low == amount.high and 1990 <= amount.low <= 2100
    )


def _bounds(
    amount: Amount, head: str, tail: str
) -> tuple[float | None, float | None, bool]:
    """Apply "up to", "at least", "around" and "+" to an amount."""
    if amount.low != amount.high:
        return amount.low, amount.high, bool(_APPROX.search(head))

    value = amount.low
    at_least, at_most = _MIN_BEFORE.search(head), _MAX_BEFORE.search(head)
    if at_least and at_most:
        # The longer phrase wins: "no more than" over "more than".
        at_least, at_most = (
            (None, at_most)
            if at_most.start() < at_least.start()
            else (
                at_least,
                None,
            )
        )

    if amount.plus or at_least or _MIN_AFTER.match(tail):
        return value, None, False

    if at_most or _MAX_AFTER.match(tail):
        return None, value, False

    approximate = bool(_APPROX.search(head) or _APPROX_AFTER.match(tail))
    return value, value, approximate


def _modifier_start(text: str, start: int, head: str) -> int:
    """Move a span start back over a currency symbol and a modifier."""
    between = re.search(r"\bbetween\s*$", head, _I)
    if between:
        return start - (len(head) - between.start()) - _symbol_width(text, start)

    for pattern in (_APPROX, _MAX_BEFORE, _MIN_BEFORE):
        match = pattern.search(head)
        if match:
            return start - (len(head) - match.start()) - _symbol_width(text, start)

    return start - _symbol_width(text, start)


def _symbol_width(text: str, start: int) -> int:
    """Count the currency characters just before start."""
    width = 0
    while start - width - 1 >= 0 and text[start - width - 1] in "$€£¥₹~":
        width += 1

    if width and start - width - 1 >= 0 and text[start - width - 1] in "USACNZHR":
        width += 1

    return width


def _period(
    text: str, offset: int, amount: Amount, tail: str
) -> tuple[BudgetPeriod | None, int]:
    """Read how often the amount is spent, and where that wording ends."""
    for pattern, period in (
        (_MONTH, BudgetPeriod.MONTH),
        (_YEAR, BudgetPeriod.YEAR),
        (_ONE_OFF, BudgetPeriod.ONE_OFF),
    ):
        match = pattern.match(tail)
        if match:
            return period, offset + match.end()

    found = _PERIOD_BEFORE.search(sentence(text, amount.start, amount.end))
    if found is None:
        return None, amount.end

    if found.group("month"):
        return BudgetPeriod.MONTH, amount.end

    if found.group("year"):
        return BudgetPeriod.YEAR, amount.end

    return BudgetPeriod.ONE_OFF, amount.end


def _budget_status(text: str, expected: bool) -> Budget | None:
    """Read "no budget", "not sure" and the like when no amount was given."""
    match = _NO_CONCERN.search(text)
    if match:
        return Budget(
            BudgetStatus.KNOWN, confidence=0.5, span=make_span(text, *match.span())
        )

    match = _NONE.search(text)
    if match:
        return Budget(
            BudgetStatus.NONE, confidence=0.9, span=make_span(text, *match.span())
        )

    if expected:
        match = _EXPECTED_NONE.match(text)
        if match:
            return Budget(
                BudgetStatus.NONE, confidence=0.7, span=make_span(text, 0, len(text))
            )

    for match in _UNKNOWN.finditer(text):
        topical = _UNKNOWN_TOPIC.search(sentence(text, match.start(), match.end()))
        if expected or topical:
            confidence = 0.8 if topical else 0.7
            return Budget(
                BudgetStatus.UNKNOWN,
                confidence=confidence,
                span=make_span(text, *match.span()),
            )

    return None
