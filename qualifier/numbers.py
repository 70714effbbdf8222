"""Find quantities written in digits or words, with their character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
    "couple": 2, "few": 3, "dozen": 12,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES: dict[str, float] = {
    "hundred": 100,
    "thousand": 1_000,
    "grand": 1_000,
    "k": 1_000,
    "million": 1_000_000,
    "mil": 1_000_000,
    "mln": 1_000_000,
    "mm": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "lakh": 100_000,
    "lakhs": 100_000,
    "lac": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}

_DIGITS = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:(?P<sep>[,.\u202f\u00a0' ])\d{3})(?:(?P=sep)\d{3})*"
    r"(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<scale>k|m|mm|mn|mln|mil|bn|b|thousand|grand|million|billion|"
    r"lakhs?|lac|crores?)"
    r"(?![a-z]))?(?P<plus>\+)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
_CONNECTORS = {"and", "-"}


@dataclass(frozen=True)
class Quantity:
    """A number found in a message.

    Attributes:
        start: Offset of its first character.
        end: Offset after its last character.
        value: The number, with any scale word applied.
        scale: The multiplier written with it ("k" is 1000), else 1.
        plus: True when followed by "+", as in "500+".
        words: True when written in words ("fifty thousand").
    """

    start: int
    end: int
    value: float
    scale: float = 1.0
    plus: bool = False
    words: bool = False

    @property
    def scaled(self) -> bool:
        """Tell whether a scale such as "k" or "thousand" was written."""
        return self.scale != 1.0


def parse_digits(raw: str) -> float:
    """Read a digit string, telling thousands separators from decimals.

    Args:
        raw: Digits with optional "," or "." separators ("50.000", "1,5").

    Returns:
        The number; a separator followed by exactly three digits is read as a
        thousands separator, otherwise as a decimal point.
    """
    groups = re.split(r"[,.\u202f\u00a0']", raw)
    if len(groups) == 1:
        return float(raw)

    seps = re.findall(r"[,.\u202f\u00a0']", raw)
    if len(groups[-1]) == 3 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))

    whole = "".join(groups[:-1])
    if len(set(seps)) == 1 and len(groups) > 2:
        return float("".join(groups))

    return float(f"{whole}.{groups[-1]}")


def find_quantities(text: str) -> list[Quantity]:
    """Find every number in text, written in digits or in words.

    Args:
        text: The visitor's message.

    Returns:
        Quantities in order of appearance, not overlapping.
    """
    digits = [_digit_quantity(match) for match in _DIGITS.finditer(text)]
    found = [q for q in digits if q is not None]
    taken = [(q.start, q.end) for q in found]
    for quantity in _word_quantities(text):
        if not any(s < quantity.end and quantity.start < e for s, e in taken):
            found.append(quantity)

    return sorted(found, key=lambda q: q.start)


def _digit_quantity(match: re.Match[str]) -> Quantity | None:
    """Turn one digit match into a Quantity."""
    raw = match.group("num")
    try:
        value = parse_digits(raw)
    except ValueError:
        return None

    scale_word = (match.group("scale") or "").lower()
    if scale_word == "mn":
        scale_word = "m"

    end = match.end("scale") if scale_word else match.end("num")
    plus = match.group("plus") is not None
    if plus:
        end = match.end("plus")

    scale = SCALES.get(scale_word, 1.0)
    return Quantity(match.start(), end, value * scale, scale, plus)


def _word_quantities(text: str) -> list[Quantity]:
    """Find numbers written in words, such as "fifty thousand"."""
    words = list(_WORD.finditer(text))
    quantities: list[Quantity] = []
    index = 0
    while index < len(words):
        parsed = _read_number_words(text, words, index)
        if parsed is None:
            index += 1
            continue

        quantity, index = parsed
        quantities.append(quantity)

    return quantities


def _read_number_words(
    text: str, words: list[re.Match[str]], first: int
) -> tuple[Quantity, int] | None:
    """Read the longest run of number words starting at words[first]."""
    total = 0.0
    current = 0.0
    seen_digit_word = False
    last = first - 1
    index = first
    while index < len(words):
        word = words[index].group().lower()
        if index > first and not _joined(text, words[index - 1], words[index]):
            break

        if word in UNITS and word not in {"a", "an", "couple", "few", "dozen"}:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in {"a", "an"} and _next_is_scale(words, index):
            current += 1
        elif word in {"couple", "few"} and seen_digit_word is False:
            current += UNITS[word]
        elif word == "half" and _next_is(words, index, {"a", "an"}):
            current += 0.5
            index += 1
        elif word in {"hundred"} and current:
            current *= 100
        elif word in {"thousand", "grand", "million", "billion"} and current:
            total += current * SCALES[word]
            current = 0
        elif _is_filler(words, index, seen_digit_word):
            index += 1
            continue
        else:
            break

        seen_digit_word = True
        last = index
        index += 1

    if last < first:
        return None

    value = total + current
    if value == 0 and words[first].group().lower() != "zero":
        return None

    start, end = words[first].start(), words[last].end()
    scales = [
        SCALES[w.group().lower()]
        for w in words[first : last + 1]
        if w.group().lower() in {"thousand", "grand", "million", "billion"}
    ]
    scale = scales[-1] if scales else 1.0
    return Quantity(start, end, value, scale, words=True), last + 1


def _joined(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Tell whether two words are separated only by a space or hyphen."""
    gap = text[left.end() : right.start()]
    return gap in {" ", "-", "  "}


def _next_is_scale(words: list[re.Match[str]], index: int) -> bool:
    """Tell whether the word after index is a scale word."""
    return _next_is(
        words, index, {"hundred", "thousand", "million", "billion", "grand"}
    )


def _next_is(words: list[re.Match[str]], index: int, options: set[str]) -> bool:
    """Tell whether the word after index is one of options."""
    return index + 1 < len(words) and words[index + 1].group().lower() in options


def _previous_is(words: list[re.Match[str]], index: int, options: set[str]) -> bool:
    """Tell whether the word before index is one of options."""
    return index > 0 and words[index - 1].group().lower() in options


def _is_filler(words: list[re.Match[str]], index: int, seen_digit_word: bool) -> bool:
    """Tell "and" in "two hundred and five" or "of" in "couple of" apart."""
    word = words[index].group().lower()
    if word == "and":
        return seen_digit_word and index + 1 < len(words)

    return word == "of" and _previous_is(words, index, {"couple"})
