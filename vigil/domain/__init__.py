"""The vocabulary of a death investigation: pure Python, no Django, no I/O."""

from vigil.domain.actor import Actor
from vigil.domain.case import CaseView
from vigil.domain.enums import (
    ActionState,
    Category,
    CauseStatus,
    CctvStatus,
    CustodyEventKind,
    DeviceStatus,
    ExhibitKind,
    IdentifierKind,
    IntelligenceType,
    LiaisonMethod,
    PlaceType,
    Presence,
    RecordKind,
    ReferralState,
    Reporter,
    Role,
    Sex,
    ToxicologyStatus,
    UserRole,
)
from vigil.domain.errors import DomainError
from vigil.domain.facts import Fact
from vigil.domain.investigation import (
    Action,
    ActionStep,
    CategoryDecision,
    Concern,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.domain.people import Identifier, PersonEntry
from vigil.domain.report import DeathReport

__all__ = [
    "Action",
    "ActionState",
    "ActionStep",
    "Actor",
    "CaseView",
    "Category",
    "CategoryDecision",
    "CauseStatus",
    "CctvStatus",
    "Concern",
    "CustodyEvent",
    "CustodyEventKind",
    "DeathReport",
    "DeviceStatus",
    "DomainError",
    "Exhibit",
    "ExhibitKind",
    "Fact",
    "Identifier",
    "IdentifierKind",
    "IntelligenceType",
    "LiaisonEntry",
    "LiaisonMethod",
    "PersonEntry",
    "PlaceType",
    "Presence",
    "RecordKind",
    "Referral",
    "ReferralState",
    "Reporter",
    "Role",
    "Sex",
    "ToxicologyStatus",
    "UserRole",
]
