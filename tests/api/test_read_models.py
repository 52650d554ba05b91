"""Each read model is declared once: the services build it (already masked for the reader) and
the API answers with that very class, so no API schema restates a service's read model.

The operations are read from the API's own routers, so an operation added later is checked
without touching this file."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

import vigil.api
import vigil.services
from tests.conftest import T0, suspicious_report
from vigil import services
from vigil.api import app as api_app
from vigil.api import problems
from vigil.services.readmodels.shapes import ReadModel

# The API's own answers: its refusals (the services' errors mapped to statuses).
API_OWN = {problems.Problem, problems.FieldProblem}


def _modules(package: types.ModuleType) -> list[types.ModuleType]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    ]


def _declared(model: type[BaseModel]) -> type[BaseModel]:
    """The class as written: a generic model's parametrised form (``Window[CaseSummary]``) is
    made wherever it is used, and belongs to the module of its origin."""
    origin = model.__pydantic_generic_metadata__.get("origin")
    return origin if origin is not None else model


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    """Every pydantic model in a type: in ``list[X]``, ``X | None``, and in the fields and
    computed fields of each model reached."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
        for computed in annotation.model_computed_fields.values():
            yield from _models(computed.return_type)
        for arg in annotation.__pydantic_generic_metadata__.get("args", ()):
            yield from _models(arg)
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def _responses() -> dict[str, set[type[BaseModel]]]:
    """For each operation ('GET /cases'), every model its responses are made of."""
    found: dict[str, set[type[BaseModel]]] = {}
    for _prefix, router in api_app.api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    models = found.setdefault(f"{method} {path}", set())
                    for response in operation.response_models.values():
                        if inspect.isclass(response) and issubclass(response, BaseModel):
                            models.update(_models(response.model_fields["response"].annotation))
    return found


RESPONSES = _responses()


def test_the_operations_are_found():
    assert len(RESPONSES) >= 30
    assert "GET /cases" in RESPONSES and "GET /dashboard" in RESPONSES


@pytest.mark.parametrize("operation", sorted(RESPONSES))
def test_every_response_schema_is_declared_outside_the_api(operation):
    """A response is a service's (or the domain's, or policy's) read model, or the API's own
    refusal; never a class of ``vigil.api`` standing in for a service's answer."""
    restated = sorted(
        f"{_declared(model).__module__}.{_declared(model).__qualname__}"
        for model in RESPONSES[operation]
        if _declared(model).__module__.startswith("vigil.api") and model not in API_OWN
    )
    assert not restated, f"{operation} answers with API classes: {restated}"


def test_the_request_schemas_are_only_request_bodies():
    """``vigil/api/schemas.py`` holds what callers send; nothing it declares is answered."""
    from vigil.api import schemas

    declared = {
        value
        for value in vars(schemas).values()
        if inspect.isclass(value)
        and issubclass(value, BaseModel)
        and value.__module__ == schemas.__name__
    }
    assert declared, "the request bodies are declared in vigil/api/schemas.py"
    answered = {model for models in RESPONSES.values() for model in models}
    assert not declared & answered
    assert all(cls.__name__.endswith("In") for cls in declared)


def _read_models() -> list[type[ReadModel]]:
    for module in _modules(vigil.services):
        del module  # imported, so that every read model is declared
    out: list[type[ReadModel]] = []
    todo = list(ReadModel.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__pydantic_generic_metadata__.get("origin"):
            out.append(cls)
    return out


def test_no_api_class_restates_a_read_model():
    """No pydantic class in ``vigil.api`` has the fields of a service's read model (a restated
    schema, even one no operation uses yet)."""
    shapes = {frozenset(cls.model_fields): cls for cls in _read_models()}
    assert len(shapes) >= 20
    restated = [
        f"{cls.__module__}.{cls.__name__} restates {shapes[frozenset(cls.model_fields)].__name__}"
        for module in [vigil.api, *_modules(vigil.api)]
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, BaseModel)
        and _declared(cls).__module__ == module.__name__
        and frozenset(cls.model_fields) in shapes
    ]
    assert not restated


def test_no_two_answered_classes_share_a_name():
    """The OpenAPI document names each schema by its class: two classes of one name would be
    described as one."""
    by_name: dict[str, set[type[BaseModel]]] = {}
    for models in RESPONSES.values():
        for model in models:
            by_name.setdefault(model.__name__, set()).add(model)
    assert {name: cls for name, cls in by_name.items() if len(cls) > 1} == {}


def test_read_models_are_frozen():
    for cls in _read_models():
        assert cls.model_config.get("frozen"), cls.__name__


# --- the JSON is the documented one


def _documented(api, path: str) -> set[str]:
    document = api.get("/openapi.json").json()
    content = document["paths"][f"/api{path}"]["get"]["responses"]["200"]["content"]
    ref = content["application/json"]["schema"]["$ref"].split("/")[-1]
    return set(document["components"]["schemas"][ref]["properties"])


def test_a_list_answers_with_exactly_the_documented_fields(sergeant, as_user):
    """A field the pages read but the API does not give (a case row's overdue count) is left
    out of the JSON and of the document alike."""
    services.open_case(sergeant, "C-1", suspicious_report(), known_at=T0)
    api = as_user("sergeant1")
    body = api.get("/cases").json()
    assert set(body) == _documented(api, "/cases") == {"total", "limit", "offset", "items"}
    row = body["items"][0]
    assert row["reference"] == "C-1" and "overdue" not in row
    queue = api.get("/review-queue").json()
    assert set(queue) == _documented(api, "/review-queue")
    assert [r["reference"] for r in queue["items"]] == ["C-1"]
    assert "overdue" in queue["items"][0]  # the queue's rows do give it


def test_a_series_answers_with_its_points_and_typed_links(linked_pair, as_user):
    """A computed part of a read model (a series' map points) is in the JSON, and a series'
    links give each reason's three parts."""
    api = as_user("analyst1")
    answer = api.post(
        f"/alerts/{linked_pair.pk}/judgement",
        {"verdict": "confirm", "reason": "Same phone, same drug."},
    )
    assert answer.status_code == 200, answer.content
    assert set(answer.json()) == {"verdict", "reason", "by", "at"}
    assert answer.json()["verdict"] == "confirm"
    series = api.get("/series/L-1").json()
    assert set(series) == _documented(api, "/series/{reference}")
    assert [p["reference"] for p in series["points"]] == ["L-1", "L-2"]
    assert [c["reference"] for c in series["cases"]] == ["L-1", "L-2"]
    assert all(set(r) == {"feature", "weight", "sentence"} for r in series["links"][0]["reasons"])
    assert api.get("/series").json() == [{"name": "Series L-1", "cases": ["L-1", "L-2"]}]
