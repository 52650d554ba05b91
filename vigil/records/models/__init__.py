from vigil.records.models.accounts import Profile
from vigil.records.models.case import Case, ChecklistItem, Fact
from vigil.records.models.investigation import (
    Action,
    ActionStep,
    CategoryDecision,
    Concern,
    CustodyEvent,
    Exhibit,
    LiaisonEntry,
    Referral,
)
from vigil.records.models.people import CasePerson, Identifier, Person

__all__ = [
    "Action",
    "ActionStep",
    "Case",
    "CasePerson",
    "CategoryDecision",
    "ChecklistItem",
    "Concern",
    "CustodyEvent",
    "Exhibit",
    "Fact",
    "Identifier",
    "LiaisonEntry",
    "Person",
    "Profile",
    "Referral",
]
