from __future__ import annotations

import pytest

from vigil.demo import Scenario, generate_labelled
from vigil.interchange.record import CaseRecord

SAMPLE_SIZE = 2000
SAMPLE_SEED = 7


@pytest.fixture(scope="session")
def labelled() -> list[tuple[Scenario, CaseRecord]]:
    return list(generate_labelled(SAMPLE_SIZE, seed=SAMPLE_SEED))


@pytest.fixture(scope="session")
def records(labelled: list[tuple[Scenario, CaseRecord]]) -> list[CaseRecord]:
    return [record for _, record in labelled]
