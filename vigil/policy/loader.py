"""Reading a policy pack from YAML, and refusing a broken one with the file and key at fault."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from vigil.policy.checks import Problem, problems
from vigil.policy.conditions import TAG
from vigil.policy.errors import PolicyError
from vigil.policy.model import PolicyPack, RuleFile

HEADER_FILE = "pack.yaml"
DEFAULT_PACK = Path(__file__).parent / "packs" / "default"
WHOLE_FILE = "(file)"
Doc = TypeVar("Doc", bound=RuleFile)


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice (the second would silently win)."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' is given twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _read(path: Path, shown: str) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader
    except OSError as exc:
        raise PolicyError(shown, WHOLE_FILE, f"cannot be read ({exc.strerror})") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else WHOLE_FILE
        raise PolicyError(shown, where, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(shown, WHOLE_FILE, f"not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyError(
            shown, WHOLE_FILE, "should be a mapping of keys (floor:, checklist:, ...)"
        )
    return data


def _key(loc: Sequence[int | str]) -> str:
    """Pydantic's ``('checklist', 3, 'deadline')`` as ``checklist[3].deadline``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.startswith(TAG):
            out += f".{part}" if out else part
    return out or "(top)"


def _show(value: Any) -> str:
    text = f"'{value}'" if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _reason(error: ErrorDetails) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "value_error":
        return str(ctx["error"])
    if kind in ("enum", "literal_error"):
        return f"{_show(value)} is not one of {ctx['expected']}"
    if kind in ("tuple_type", "list_type", "frozen_set_type", "set_type"):
        return f"should be a list, not {_show(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"should be a mapping of keys, not {_show(value)}"
    if kind == "string_type":
        return f"should be text (quote it), not {_show(value)}"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} should be lower-case letters, digits and _ (like phone_missing)"
    if kind == "condition":
        return error["msg"]
    message = error["msg"]
    return f"{message[:1].lower()}{message[1:]} (got {_show(value)})"


def _from_validation(shown: str, exc: ValidationError) -> PolicyError:
    errors = exc.errors()
    # A list that failed on an item also reports itself too short: keep the item's error.
    locs = [e["loc"] for e in errors]
    kept = [
        e
        for e in errors
        if not (
            e["type"] == "too_short"
            and any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == e["loc"] for o in locs)
        )
    ]
    found = [(_key(e["loc"]), _reason(e)) for e in kept]
    return _error(shown, found)


def _error(shown: str, found: Sequence[Problem]) -> PolicyError:
    others = tuple(PolicyError(shown, key, reason) for key, reason in found[1:])
    return PolicyError(shown, *found[0], others=others)


def _validate(model: type[Doc], data: dict[str, Any], shown: str) -> Doc:
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(shown, exc) from None
    found = list(problems(doc))
    if found:
        raise _error(shown, found)
    return doc


def _rule_keys(doc: RuleFile) -> list[tuple[str, str]]:
    return [
        *((r.id, f"floor[{i}].id") for i, r in enumerate(doc.floor)),
        *((r.id, f"checklist[{i}].id") for i, r in enumerate(doc.checklist)),
        *((r.id, f"panel_referral[{i}].id") for i, r in enumerate(doc.panel_referral)),
    ]


def _load_dir(path: Path) -> PolicyPack:
    def shown(file: Path) -> str:
        return f"{path.name}/{file.name}"

    header = path / HEADER_FILE
    if not header.is_file():
        raise PolicyError(
            shown(header),
            WHOLE_FILE,
            "missing: a pack directory needs pack.yaml "
            "with the pack's name, version and supervisor_roles",
        )
    pack = _validate(PolicyPack, _read(header, shown(header)), shown(header))
    origin = {rule_id: f"{shown(header)} {key}" for rule_id, key in _rule_keys(pack)}
    floor, checklist, panel = list(pack.floor), list(pack.checklist), list(pack.panel_referral)
    for stray in sorted(path.glob("*.yml")):
        raise PolicyError(shown(stray), WHOLE_FILE, "pack files end in .yaml; rename it")
    for file in sorted(path.glob("*.yaml")):
        if file.name == HEADER_FILE:
            continue
        data = _read(file, shown(file))
        for key in data:
            if key in PolicyPack.model_fields and key not in RuleFile.model_fields:
                raise PolicyError(shown(file), str(key), f"the pack's {key} belongs in pack.yaml")
        doc = _validate(RuleFile, data, shown(file))
        for rule_id, key in _rule_keys(doc):
            if rule_id in origin:
                reason = f"duplicate rule id '{rule_id}' (also in {origin[rule_id]})"
                raise PolicyError(shown(file), key, reason)
            origin[rule_id] = f"{shown(file)} {key}"
        floor.extend(doc.floor)
        checklist.extend(doc.checklist)
        panel.extend(doc.panel_referral)
    merged = {"floor": tuple(floor), "checklist": tuple(checklist), "panel_referral": tuple(panel)}
    return pack.model_copy(update=merged)


def load_pack(path: Path) -> PolicyPack:
    """A pack from a directory (pack.yaml plus any other ``*.yaml`` rule files, read in name
    order) or from one YAML file holding everything; PolicyError naming file and key if broken."""
    path = Path(path)
    if path.is_dir():
        return _load_dir(path)
    if path.is_file():
        return _validate(PolicyPack, _read(path, path.name), path.name)
    raise PolicyError(str(path), WHOLE_FILE, "no such pack file or directory")


@functools.cache
def default_pack() -> PolicyPack:
    """The pack shipped with Vigil: the four categories and checklist adopted after Barking."""
    return load_pack(DEFAULT_PACK)
