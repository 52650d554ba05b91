"""The condition language of a policy pack: data, never code.

Each condition is a YAML mapping told apart by its first key (``fact``, ``text``,
``category_at_least``, ``decision``, ``series``, ``some``, ``every``, ``each``, ``all``, ``any``,
``not``).
``check`` answers an Outcome whose ``why`` names the facts it rests on, so a failed checklist
item can say why this case fails it. vigil/policy/README.md documents the language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from vigil.domain.enums import Category
from vigil.domain.investigation import CategoryDecision
from vigil.policy.facts import FACTS, check_fact_path
from vigil.policy.lists import LISTS, ListName, Scalar, describe, mismatches, select, states
from vigil.policy.scope import Outcome, Scope, join_words, listing, quote, recorded, show
from vigil.policy.wording import SIGNOFF_NOT_NEEDED, a_role, fact_words, noun, vocabulary


class Node(BaseModel):
    """A part of a pack: unknown keys are refused, nothing changes after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _scalar(value: object) -> object:
    if not isinstance(value, bool | int | float | str):
        raise ValueError(f"{value!r} should be a single value: text, a number, true or false")
    return value


def _as_tuple(value: object) -> object:
    return value if isinstance(value, list | tuple) else (value,)


FactPath = Annotated[str, AfterValidator(check_fact_path)]
Value = Annotated[Scalar, BeforeValidator(_scalar)]
Values = Annotated[tuple[Value, ...], BeforeValidator(_as_tuple)]
Where = dict[str, Values]
OPERATORS = ("equals", "in", "between", "present", "contains_any")


def _same(value: Any, wanted: Scalar) -> bool:
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    if isinstance(value, str) and isinstance(wanted, str):
        return value.casefold() == wanted.casefold()
    return bool(value == wanted)


class FactIs(Node):
    """``{fact: scene.phone, equals: missing}`` and the other operators on one report fact."""

    fact: FactPath
    equals: Value | None = None
    in_: tuple[Value, ...] | None = Field(default=None, alias="in")
    between: tuple[float, float] | None = None
    present: bool | None = None
    contains_any: Values | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> FactIs:
        given = [op for op in OPERATORS if getattr(self, "in_" if op == "in" else op) is not None]
        if len(given) != 1:
            found = f"found {', '.join(given)}" if given else "found none"
            raise ValueError(
                f"a fact condition needs exactly one of {', '.join(OPERATORS)} ({found})"
            )
        return self

    def check(self, scope: Scope) -> Outcome:
        value = scope.facts.get(self.fact)
        words = fact_words(self.fact)
        name = words.noun
        if self.present is not None:
            has = recorded(value)
            return Outcome(
                has is self.present, self._is(value) if has else f"{name} is not recorded"
            )
        if value is None or value == []:
            return Outcome(False, f"{name} is not recorded")
        if isinstance(value, bool) and words.yes:  # a flag states itself: "a note was found"
            wanted = self.equals if self.equals is not None else self.in_
            matched = any(_same(value, w) for w in _as_values(wanted))
            return Outcome(matched, self._is(value))
        if self.contains_any is not None:
            hits = [v for v in value if any(_same(v, w) for w in self.contains_any)]
            if hits:
                return Outcome(True, f"{name} includes {self._listing(hits, 'and')}")
            return Outcome(
                False,
                f"{name} ({self._listing(value, 'and')}) includes none of "
                f"{self._listing(self.contains_any)}",
            )
        if self.equals is not None:
            if _same(value, self.equals):
                return Outcome(True, self._is(value))
            return Outcome(False, f"{self._is(value)}, not {self._listing((self.equals,))}")
        if self.in_ is not None:
            if any(_same(value, w) for w in self.in_):
                return Outcome(True, self._is(value))
            return Outcome(False, f"{self._is(value)}, not {self._listing(self.in_)}")
        assert self.between is not None
        low, high = self.between
        inside = isinstance(value, int | float) and low <= value <= high
        span = f"between {low:g} and {high:g}"
        detail = f" ({span})" if inside else f", not {span}"
        return Outcome(inside, f"{self._is(value)}{detail}")

    def _is(self, value: Any) -> str:
        """``the place is 'car park'``: the fact's words and its value in words; a flag's own
        sentence (``a note was found``)."""
        words = fact_words(self.fact)
        if isinstance(value, bool) and words.yes:
            return words.yes if value else words.no
        if isinstance(value, str) and FACTS[self.fact].kind == "choice":
            value = vocabulary(value)
        return f"{words.noun} is {show(value)}"

    def _listing(self, values: Iterable[Any], joiner: str = "or") -> str:
        if FACTS[self.fact].kind == "choice":
            values = (vocabulary(v) for v in values)
        return listing(values, joiner)


def _as_values(wanted: Scalar | tuple[Scalar, ...] | None) -> tuple[Scalar, ...]:
    if wanted is None:
        return ()
    return wanted if isinstance(wanted, tuple) else (wanted,)


@functools.cache
def _term(term: str) -> re.Pattern[str]:
    """A term matches at the start of a word: 'drug' finds 'drugs' and 'drugged'."""
    return re.compile(r"(?<!\w)" + re.escape(term.casefold()) + r"\w*")


class TextMentions(Node):
    """``{text: [circumstances, cause.text], mentions: [overdose, drug]}``: free text names any
    of the terms (case-insensitive, at the start of a word; negation is not understood)."""

    text: Annotated[tuple[FactPath, ...], BeforeValidator(_as_tuple)] = Field(min_length=1)
    mentions: tuple[str, ...] = Field(min_length=1)

    def check(self, scope: Scope) -> Outcome:
        texts = {p: str(scope.facts[p]).casefold() for p in self.text if scope.facts.get(p)}
        found = [
            f"{noun(path)} mentions {listing(dict.fromkeys(words), 'and')}"
            for path, body in texts.items()
            if (words := [m.group() for t in self.mentions for m in _term(t).finditer(body)])
        ]
        if found:
            return Outcome(True, "; ".join(found))
        if not texts:
            return Outcome(False, f"{join_words(map(noun, self.text), 'and')}: nothing recorded")
        wanted = listing(self.mentions)
        written = join_words(map(noun, texts), "and")
        return Outcome(
            False, f"{written} {'mention' if len(texts) > 1 else 'mentions'} none of {wanted}"
        )


class CategoryAtLeast(Node):
    """``{category_at_least: unexpected_under_investigation}``: the case's category (the current
    one or the floor, whichever is higher) is this one or more serious."""

    category_at_least: Category

    def check(self, scope: Scope) -> Outcome:
        if scope.category is None:
            return Outcome(False, "the category is not known while the floor is computed")
        ok = scope.category.rank >= self.category_at_least.rank
        why = f"the case's category is {quote(scope.category.label.lower())}"
        wanted = quote(self.category_at_least.label.lower())
        return Outcome(ok, why if ok else f"{why}, below {wanted}")


class DecisionIs(Node):
    """``{decision: recorded | signed_off | below_floor | overridden}``: about the decision in
    force. ``signed_off``: recorded with a rationale, and made or overridden by one of the
    pack's ``signoff_roles`` (a response officer's own decision is not); when the pack's
    ``signoff_required`` is ``below_floor``, a decision at or above the floor needs no one's."""

    decision: Literal["recorded", "signed_off", "below_floor", "overridden"]

    def check(self, scope: Scope) -> Outcome:
        decision = scope.case.decision
        if decision is None:
            return Outcome(False, "no category decision is recorded")
        what = f"the decision ({quote(decision.category.label.lower())} by {decision.decided_by})"
        if self.decision in ("recorded", "signed_off") and not decision.rationale.strip():
            return Outcome(False, f"{what} is recorded without a rationale")
        if self.decision == "recorded":
            return Outcome(True, f"{what} is recorded")
        if self.decision == "signed_off":
            return _signed_off(scope, decision, what)
        floor = scope.floor or Category.EXPECTED
        below = decision.category.rank < floor.rank
        if self.decision == "below_floor":
            side = "below" if below else "not below"
            return Outcome(below, f"{what} is {side} the floor {quote(floor.label.lower())}")
        if scope.override_before_series:
            return Outcome(
                False,
                f"{what} was overridden by {decision.override_by} before the death was "
                "confirmed as part of a series",
            )
        if decision.override_by and (decision.override_reason or "").strip():
            return Outcome(
                True, f"{what} was overridden by {decision.override_by}: {decision.override_reason}"
            )
        side = f" is below the floor {quote(floor.label.lower())} and" if below else ""
        return Outcome(False, f"{what}{side} has no supervisor's override with a reason")


class InSeries(Node):
    """``{series: confirmed}``: an analyst has confirmed the death as part of a series (a link
    or a cluster judged 'confirm' joins it to other deaths). The other cases are not named here:
    each reader is told of them as they may see them (``vigil.services.linkage.series``)."""

    series: Literal["confirmed"]

    def check(self, scope: Scope) -> Outcome:
        series = scope.case.series
        if series is None:
            return Outcome(False, "no analyst has confirmed the death as part of a series")
        return Outcome(True, "an analyst confirmed the death as part of a series")


def _signed_off(scope: Scope, decision: CategoryDecision, what: str) -> Outcome:
    signers = [decision.decided_by, decision.override_by or ""]
    by = next((u for u in signers if scope.case.roles.get(u) in scope.signoff_roles), None)
    if by is not None:
        return Outcome(True, f"{what} is signed off by {by}, {a_role(scope.case.roles[by])}")
    floor = scope.floor or Category.EXPECTED
    if scope.signoff_below_floor_only and decision.category.rank >= floor.rank:
        return Outcome(True, SIGNOFF_NOT_NEEDED.format(what=what))
    roles = join_words(sorted(a_role(r) for r in scope.signoff_roles))
    role = scope.case.roles.get(decision.decided_by)
    who = a_role(role) if role else "no user with a role"
    return Outcome(
        False, f"{what} is not made or signed off by {roles} ({decision.decided_by} is {who})"
    )


class Some(Node):
    """``{some: exhibits, where: {kind: note}}``: at least one item of the list fits."""

    some: ListName
    where: Where = {}

    def check(self, scope: Scope) -> Outcome:
        spec = LISTS[self.some]
        found = select(spec, self.where, scope)
        wanted = " ".join(filter(None, [spec.noun, describe(spec, self.where, scope)]))
        if not found:
            return Outcome(False, f"no {wanted} is recorded")
        labels = join_words((spec.label(item, scope) for item in found), "and")
        return Outcome(True, f"recorded: {labels}")


class Every(Node):
    """``{every: devices, where: {status: [examined, not_found]}}``: no item fails (true of an
    empty list: pair it with ``some`` to ask for at least one)."""

    every: ListName
    where: Where = {}

    def check(self, scope: Scope) -> Outcome:
        spec = LISTS[self.every]
        items = spec.items(scope)
        failing = [
            f"{spec.label(item, scope)} {'; '.join(misses)}"
            for item in items
            if (misses := mismatches(spec, item, self.where, scope))
        ]
        if failing:
            return Outcome(False, "; ".join(failing))
        if not items:
            return Outcome(True, f"no {spec.plural} are recorded")
        return Outcome(
            True, f"every {spec.noun} {describe(spec, self.where, scope)} ({len(items)} recorded)"
        )


class Each(Node):
    """``{each: {answered: true}}``: inside a ``for_each`` rule, the item itself fits."""

    each: Where

    def check(self, scope: Scope) -> Outcome:
        if scope.each is None:
            return Outcome(False, "'each' is only meaningful in a for_each rule")
        each = scope.each
        spec = LISTS[each.list_name]
        misses = mismatches(spec, each.item, self.each, scope)
        if misses:
            return Outcome(False, f"{each.label} {'; '.join(misses)}")
        return Outcome(True, f"{each.label} {states(spec, each.item, self.each, scope)}")


class AllOf(Node):
    """``{all: [...]}``: every condition holds."""

    all_: tuple[Condition, ...] = Field(alias="all", min_length=1)

    def check(self, scope: Scope) -> Outcome:
        outcomes = [c.check(scope) for c in self.all_]
        failed = [o.why for o in outcomes if not o.ok]
        return Outcome(not failed, "; ".join(failed or [o.why for o in outcomes]))


class AnyOf(Node):
    """``{any: [...]}``: at least one condition holds."""

    any_: tuple[Condition, ...] = Field(alias="any", min_length=1)

    def check(self, scope: Scope) -> Outcome:
        outcomes = [c.check(scope) for c in self.any_]
        passed = [o.why for o in outcomes if o.ok]
        return Outcome(bool(passed), "; ".join(passed or [o.why for o in outcomes]))


class Not(Node):
    """``{not: ...}``: the condition does not hold (the reason stays the same facts)."""

    not_: Condition = Field(alias="not")

    def check(self, scope: Scope) -> Outcome:
        inner = self.not_.check(scope)
        return Outcome(not inner.ok, inner.why)


TAG = "condition:"  # prefix of the union tags: dropped from error key paths
_KINDS: dict[str, type[Node]] = {
    "fact": FactIs,
    "text": TextMentions,
    "category_at_least": CategoryAtLeast,
    "decision": DecisionIs,
    "series": InSeries,
    "some": Some,
    "every": Every,
    "each": Each,
    "all": AllOf,
    "any": AnyOf,
    "not": Not,
}


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((TAG + key for key in _KINDS if key in value), None)
    return next((TAG + k for k, cls in _KINDS.items() if type(value) is cls), None)


Condition = Annotated[
    Annotated[FactIs, Tag(TAG + "fact")]
    | Annotated[TextMentions, Tag(TAG + "text")]
    | Annotated[CategoryAtLeast, Tag(TAG + "category_at_least")]
    | Annotated[DecisionIs, Tag(TAG + "decision")]
    | Annotated[InSeries, Tag(TAG + "series")]
    | Annotated[Some, Tag(TAG + "some")]
    | Annotated[Every, Tag(TAG + "every")]
    | Annotated[Each, Tag(TAG + "each")]
    | Annotated[AllOf, Tag(TAG + "all")]
    | Annotated[AnyOf, Tag(TAG + "any")]
    | Annotated[Not, Tag(TAG + "not")],
    Discriminator(
        _kind,
        custom_error_type="condition",
        custom_error_message=f"a condition is a mapping with one of the keys {', '.join(_KINDS)}",
    ),
]

for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()


def parts(condition: Condition) -> tuple[tuple[str, Condition], ...]:
    """The conditions directly inside one, with their keys (``all[0]``, ``not``)."""
    if isinstance(condition, AllOf):
        return tuple((f"all[{i}]", c) for i, c in enumerate(condition.all_))
    if isinstance(condition, AnyOf):
        return tuple((f"any[{i}]", c) for i, c in enumerate(condition.any_))
    if isinstance(condition, Not):
        return (("not", condition.not_),)
    return ()
