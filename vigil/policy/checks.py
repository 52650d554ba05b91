"""Checks pydantic cannot make alone: operators that fit their fact, attributes that exist on
their list, ``each`` only inside ``for_each``, floor rules that do not depend on the category or
on the case's handling, escalation steps in the order they fall due.

Each problem is a (key path, reason) pair within one pack file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vigil.policy.conditions import (
    CategoryAtLeast,
    Condition,
    DecisionIs,
    Each,
    Every,
    FactIs,
    Some,
    TextMentions,
    Where,
    parts,
)
from vigil.policy.escalation import order_problems
from vigil.policy.facts import CASE_FACTS, FACTS
from vigil.policy.lists import EACH, LISTS, Flag, ListName
from vigil.policy.model import ChecklistRule, FloorRule, PanelRule, PolicyPack, RuleFile
from vigil.policy.scope import join_words, listing

Problem = tuple[str, str]


def problems(doc: RuleFile) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    rules: list[tuple[str, FloorRule | ChecklistRule | PanelRule]] = [
        *((f"floor[{i}]", r) for i, r in enumerate(doc.floor)),
        *((f"checklist[{i}]", r) for i, r in enumerate(doc.checklist)),
        *((f"panel_referral[{i}]", r) for i, r in enumerate(doc.panel_referral)),
    ]
    for key, rule in rules:
        if rule.id in seen:
            yield f"{key}.id", f"duplicate rule id '{rule.id}' (also at {seen[rule.id]})"
        seen.setdefault(rule.id, key)
        if isinstance(rule, FloorRule):
            yield from _condition(rule.when, f"{key}.when", None, floor=True)
        elif isinstance(rule, PanelRule):
            yield from _condition(rule.when, f"{key}.when", None, floor=False)
            yield from _anchor(rule, key)
        else:
            yield from _checklist(rule, key)
    if isinstance(doc, PolicyPack):
        yield from order_problems(doc.escalation)


def _anchor(rule: ChecklistRule | PanelRule, key: str) -> Iterator[Problem]:
    explicit = "anchor" in rule.model_fields_set
    if rule.deadline is None and explicit and rule.anchor != "item_deadline":
        yield f"{key}.anchor", "an anchor without a deadline means nothing; add deadline"


def _checklist(rule: ChecklistRule, key: str) -> Iterator[Problem]:
    each = rule.for_each.in_ if rule.for_each else None
    if rule.for_each:
        yield from _where(rule.for_each.in_, rule.for_each.where, f"{key}.for_each.where", None)
    if rule.applies_when is not None:
        yield from _condition(rule.applies_when, f"{key}.applies_when", None, floor=False)
    yield from _condition(rule.satisfied_when, f"{key}.satisfied_when", each, floor=False)
    if rule.anchor in ("item", "item_deadline") and each is None:
        yield f"{key}.anchor", f"'{rule.anchor}' needs for_each (whose item's time is it?)"
    if rule.anchor == "item_deadline" and each and LISTS[each].deadline is None:
        yield f"{key}.anchor", f"{LISTS[each].plural} have no deadline of their own"
    yield from _anchor(rule, key)


def _condition(
    condition: Condition, key: str, each: ListName | None, *, floor: bool
) -> Iterator[Problem]:
    if isinstance(condition, FactIs) and floor and condition.fact in CASE_FACTS:
        why = f"a floor rule reads the death report; {condition.fact} is a fact of the case's"
        yield f"{key}.fact", f"{why} handling (use it in a checklist or panel_referral rule)"
    elif isinstance(condition, FactIs):
        yield from _fact(condition, key)
    elif isinstance(condition, TextMentions):
        for i, path in enumerate(condition.text):
            if FACTS[path].kind != "text":
                yield f"{key}.text[{i}]", f"{path} is not free text ({FACTS[path].kind})"
    elif isinstance(condition, CategoryAtLeast | DecisionIs) and floor:
        word = "category_at_least" if isinstance(condition, CategoryAtLeast) else "decision"
        yield f"{key}.{word}", "a floor rule is computed from facts, not from the category"
    elif isinstance(condition, Some | Every):
        name = condition.some if isinstance(condition, Some) else condition.every
        yield from _where(name, condition.where, f"{key}.where", None if floor else each)
    elif isinstance(condition, Each):
        if each is None:
            yield f"{key}.each", "'each' needs a checklist rule with for_each"
        else:
            yield from _where(each, condition.each, f"{key}.each", each)
    for suffix, inner in parts(condition):
        yield from _condition(inner, f"{key}.{suffix}", each, floor=floor)


def _where(name: ListName, where: Where, key: str, each: ListName | None) -> Iterator[Problem]:
    spec = LISTS[name]
    for attr_name, values in where.items():
        attr = spec.attrs.get(attr_name)
        at = f"{key}.{attr_name}"
        if attr is None:
            known = join_words(spec.attrs, "and", limit=20)
            yield at, f"{spec.plural} have no attribute '{attr_name}' (they have {known})"
        elif isinstance(attr, Flag):
            if len(values) != 1 or not isinstance(values[0], bool):
                yield at, "should be true or false"
        else:
            for i, value in enumerate(values):
                if value == EACH and each is None:
                    yield f"{at}[{i}]", "'$each' needs a checklist rule with for_each"
                elif attr.choices and value != EACH and str(value).casefold() not in attr.choices:
                    yield f"{at}[{i}]", _not_one_of(value, attr.choices)


def _not_one_of(value: Any, choices: frozenset[str]) -> str:
    return f"'{value}' is not one of {listing(sorted(choices), 'or', limit=30)}"


def _fact(condition: FactIs, key: str) -> Iterator[Problem]:
    spec = FACTS[condition.fact]
    kind, path = spec.kind, condition.fact
    values: tuple[Any, ...] = ()
    op = ""
    if condition.equals is not None:
        op, values = "equals", (condition.equals,)
    elif condition.in_ is not None:
        op, values = "in", condition.in_
    elif condition.contains_any is not None and kind != "texts":
        yield f"{key}.contains_any", f"{path} is not a list of text ({kind}); use equals or in"
    elif condition.between is not None:
        low, high = condition.between
        if kind != "number":
            yield f"{key}.between", f"{path} is not a number ({kind})"
        elif low > high:
            yield f"{key}.between", f"the low end ({low:g}) is above the high end ({high:g})"
    if not op:
        return
    if kind in ("texts", "records"):
        yield f"{key}.{op}", f"{path} is a list; use contains_any or present"
        return
    for i, value in enumerate(values):
        at = f"{key}.{op}" + (f"[{i}]" if op == "in" else "")
        if kind == "flag" and not isinstance(value, bool):
            yield at, f"{path} is true or false, not '{value}'"
        elif kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
            yield at, f"{path} is a number, not '{value}'"
        elif kind == "choice" and str(value).casefold() not in spec.choices:
            yield at, _not_one_of(value, spec.choices)
        elif kind in ("text", "date") and not isinstance(value, str):
            yield at, f"{path} is {kind}; quote the value"
