"""The condition language of a policy pack: data, never code.

Each condition is a YAML mapping told apart by its first key (``fact``, ``text``,
``category_at_least``, ``decision``, ``some``, ``every``, ``each``, ``all``, ``any``, ``not``).
``check`` answers an Outcome whose ``why`` names the facts it rests on, so a failed checklist
item can say why this case fails it. vigil/policy/README.md documents the language.
"""

from __future__ import annotations

import functools
import re
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
from vigil.policy.facts import check_fact_path
from vigil.policy.lists import LISTS, ListName, Scalar, describe, mismatches, select, states
from vigil.policy.scope import Outcome, Scope, join_words, listing, quote, recorded, show


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
        path, value = self.fact, scope.facts.get(self.fact)
        if self.present is not None:
            has = recorded(value)
            why = f"{path} is {show(value)}" if has else f"{path} is not recorded"
            return Outcome(has is self.present, why)
        if value is None or value == []:
            return Outcome(False, f"{path} is not recorded")
        if self.contains_any is not None:
            hits = [v for v in value if any(_same(v, w) for w in self.contains_any)]
            if hits:
                return Outcome(True, f"{path} includes {listing(hits, 'and')}")
            return Outcome(
                False, f"{path} ({show(value)}) includes none of {listing(self.contains_any)}"
            )
        if self.equals is not None:
            if _same(value, self.equals):
                return Outcome(True, f"{path} is {show(value)}")
            return Outcome(False, f"{path} is {show(value)}, not {quote(self.equals)}")
        if self.in_ is not None:
            if any(_same(value, w) for w in self.in_):
                return Outcome(True, f"{path} is {show(value)}")
            return Outcome(False, f"{path} is {show(value)}, not {listing(self.in_)}")
        assert self.between is not None
        low, high = self.between
        inside = isinstance(value, int | float) and low <= value <= high
        span = f"between {low:g} and {high:g}"
        detail = f" ({span})" if inside else f", not {span}"
        return Outcome(inside, f"{path} is {show(value)}{detail}")


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
            f"{path} mentions {listing(dict.fromkeys(words), 'and')}"
            for path, body in texts.items()
            if (words := [m.group() for t in self.mentions for m in _term(t).finditer(body)])
        ]
        if found:
            return Outcome(True, "; ".join(found))
        if not texts:
            return Outcome(False, f"{join_words(self.text, 'and')}: nothing recorded")
        wanted = listing(self.mentions)
        return Outcome(False, f"{join_words(texts, 'and')} mention none of {wanted}")


class CategoryAtLeast(Node):
    """``{category_at_least: unexpected_under_investigation}``: the case's category (the current
    one or the floor, whichever is higher) is this one or more serious."""

    category_at_least: Category

    def check(self, scope: Scope) -> Outcome:
        if scope.category is None:
            return Outcome(False, "the category is not known while the floor is computed")
        ok = scope.category.rank >= self.category_at_least.rank
        why = f"the case's category is {quote(scope.category.value)}"
        return Outcome(ok, why if ok else f"{why}, below {quote(self.category_at_least.value)}")


class DecisionIs(Node):
    """``{decision: recorded | signed_off | below_floor | overridden}``: about the decision in
    force. ``signed_off``: recorded with a rationale, and made or overridden by one of the
    pack's ``signoff_roles`` (a response officer's own decision is not)."""

    decision: Literal["recorded", "signed_off", "below_floor", "overridden"]

    def check(self, scope: Scope) -> Outcome:
        decision = scope.case.decision
        if decision is None:
            return Outcome(False, "no category decision is recorded")
        what = f"the decision ({quote(decision.category.value)} by {decision.decided_by})"
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
            return Outcome(below, f"{what} is {side} the floor {quote(floor.value)}")
        if decision.override_by and (decision.override_reason or "").strip():
            return Outcome(
                True, f"{what} was overridden by {decision.override_by}: {decision.override_reason}"
            )
        side = f" is below the floor {quote(floor.value)} and" if below else ""
        return Outcome(False, f"{what}{side} has no supervisor's override with a reason")


def _signed_off(scope: Scope, decision: CategoryDecision, what: str) -> Outcome:
    signers = [decision.decided_by, decision.override_by or ""]
    by = next((u for u in signers if scope.case.roles.get(u) in scope.signoff_roles), None)
    if by is not None:
        return Outcome(True, f"{what} is signed off by {by}, a {scope.case.roles[by].value}")
    roles = join_words(sorted(r.value for r in scope.signoff_roles))
    role = scope.case.roles.get(decision.decided_by)
    who = f"a {role.value}" if role else "no user with a role"
    return Outcome(
        False, f"{what} is not made or signed off by a {roles} ({decision.decided_by} is {who})"
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
