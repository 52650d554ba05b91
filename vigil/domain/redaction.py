"""Redaction: withheld names and identifiers taken out of free text, in every written form.

A ``Redactor`` is made for one case and one reader (``vigil.domain.masking.redactor_for``) and
replaces, with ``[withheld]``:

- each withheld **text** (an address, an e-mail, a handle, a name as a whole), in any case and
  with accents folded ('ALEX TESTPERSON', 'Seán' written 'Sean');
- each withheld **phone** however it is written ('07700900321', '+44 7700 900321',
  '(07700) 900 321'): the ``phonenumbers`` matcher finds numbers in the text and each is
  compared by its canonical form;
- each **word of a withheld name** on its own, whole words only: in any case when it has three
  letters or more; a two-letter name ('Jo', 'JO') only capitalised, since 'jo' is rarer than
  the English words two letters make ('an', 'to');
- a withheld person's **initials** ('A.T.', 'A. T.', 'AT'), as capitals only, for a name of two
  words or more (every word's initial, and the first and last);
- for a reader who may see nobody's identity (the advisory panel, ``strangers``): **any** phone
  number or e-mail address at all, **any** house-numbered street address however it is written
  ('14 Elm Rd', '22a Testing Street', 'flat 3, 9 Oak Close': a number, up to four words and a
  street word), and every UK postcode cut to its district ('E6 2AB' -> 'E6').

Redacting more than was meant is the safe side: a two-letter capitalised initialism that
happens to be a person's initials ('AT' in a line written in capitals) is withheld too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

from vigil.domain.identifiers import DEFAULT_REGION

WITHHELD = "[withheld]"

_MIN_SECRET = 3
_NAME_WORD = re.compile(r"[^\W\d_]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"(?<!\w)([A-Z]{1,2}[0-9][A-Z0-9]?)\s*[0-9][A-Z]{2}(?!\w)", re.IGNORECASE)
_STREET_WORDS = (
    "road|rd|street|st|avenue|ave|close|cl|lane|ln|drive|dr|way|gardens|gdns|place|pl|court|ct|"
    "crescent|cres|terrace|tce|row|square|sq|grove|gr|hill|walk|mews|park|parade|green|rise|"
    "view|yard|wharf|quay|embankment|broadway|estate|house|buildings|churchyard"
)
_GLUE = r"(?!(?:the|to|of|and|in|at|on|a|an|from|with|for|by|into|near)\b)"
_STREET = re.compile(
    r"(?<!\w)(?:flat\s+\w+,?\s+)?\d{1,4}[a-z]?,?\s+"
    rf"(?:{_GLUE}[a-z'-]+\s+){{0,3}}(?:{_STREET_WORDS})(?!\w)",
    re.IGNORECASE,
)
# A number the plan does not call valid (the 07700 900xxx range kept for drama, say) is still
# taken for a phone when it has this many digits; fewer, and dates and references would be.
_PHONE_DIGITS = 10

Span = tuple[int, int]


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without accents, and where each of its characters came from in ``text`` (one
    more entry, for the end)."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char):
            if not unicodedata.combining(part):
                out.append(part)
                index.append(i)
    index.append(len(text))
    return "".join(out), index


def _folded(value: str) -> str:
    return fold(value)[0]


def _phone_spans(text: str, phones: frozenset[str], strangers: bool) -> list[Span]:
    spans = []
    matcher = phonenumbers.PhoneNumberMatcher(
        text, DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        canonical = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        plausible = phonenumbers.is_valid_number(match.number) or (
            sum(c.isdigit() for c in match.raw_string) >= _PHONE_DIGITS
        )
        if canonical in phones or (strangers and plausible):
            spans.append((match.start, match.end))
    return spans


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _name_pattern(word: str) -> str:
    if len(word) >= _MIN_SECRET:
        return re.escape(word)
    # Two letters: capitalised ('Jo', 'JO') only.
    return f"(?-i:{re.escape(word[0].upper())}){re.escape(word[1:])}"


def _initials_patterns(names: Iterable[str]) -> set[str]:
    patterns = set()
    for name in names:
        words = _NAME_WORD.findall(_folded(name).replace("'", ""))
        if len(words) < 2:
            continue
        for letters in {"".join(w[0] for w in words), words[0][0] + words[-1][0]}:
            parts = [re.escape(c.upper()) for c in letters]
            patterns.add(r"\.?\s?".join(parts) + r"\.?")
    return patterns


@dataclass(frozen=True)
class Redactor:
    """Replaces withheld names and identifiers in free text (see the module's docstring)."""

    secrets: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    phones: frozenset[str] = frozenset()
    strangers: bool = False
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(
        cls,
        secrets: Iterable[str],
        names: Iterable[str],
        *,
        phones: Iterable[str] = (),
        strangers: bool = False,
    ) -> Redactor:
        """The redactor for withheld ``secrets`` (texts), ``names`` (of people) and ``phones``
        (canonical, '+447700900461'); ``strangers``: any phone, e-mail and full postcode too."""
        names = [n for n in names if n.strip()]
        kept = sorted(
            {_folded(s.strip()) for s in secrets if len(s.strip()) >= _MIN_SECRET}, key=len
        )
        forms = {f for n in names for f in (_folded(n), _folded(n).replace("'", ""))}
        words = sorted({w for f in forms for w in _NAME_WORD.findall(f) if len(w) >= 2}, key=len)
        patterns = []
        if kept:
            alternation = "|".join(re.escape(s) for s in reversed(kept))
            patterns.append(re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE))
        if words:
            alternation = "|".join(_name_pattern(w) for w in reversed(words))
            patterns.append(re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE))
        initials = _initials_patterns(names)
        if initials:
            alternation = "|".join(sorted(initials, key=len, reverse=True))
            patterns.append(re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"))
        return cls(tuple(kept), tuple(words), frozenset(phones), strangers, tuple(patterns))

    @property
    def empty(self) -> bool:
        return not (self._patterns or self.phones or self.strangers)

    def _spans(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if self.phones or self.strangers:
            spans += _phone_spans(text, self.phones, self.strangers)
        if self.strangers:
            spans += [m.span() for m in _EMAIL.finditer(text)]
            spans += [m.span() for m in _STREET.finditer(text)]
        if self._patterns:
            folded, index = fold(text)
            for pattern in self._patterns:
                for match in pattern.finditer(folded):
                    start, end = index[match.start()], index[match.end() - 1] + 1
                    while end < len(text) and unicodedata.combining(text[end]):
                        end += 1
                    spans.append((start, end))
        return _merge(spans)

    def __call__(self, text: str) -> str:
        if self.empty or not text:
            return text
        out: list[str] = []
        at = 0
        for start, end in self._spans(text):
            out += [text[at:start], WITHHELD]
            at = end
        out.append(text[at:])
        text = "".join(out)
        if self.strangers:
            text = _POSTCODE.sub(lambda m: m.group(1).upper(), text)
        return text

    def value(self, value: Any) -> Any:
        """``value`` (JSON-like: text, list, mapping) with every text redacted."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        if isinstance(value, Mapping):
            return {k: self.value(v) for k, v in value.items()}
        return value

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)
