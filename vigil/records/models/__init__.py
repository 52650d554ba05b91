from vigil.records.models.access import CaseAccess
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
from vigil.records.models.linkage import Alert, CaseLink, CaseSubstance, Judgement
from vigil.records.models.people import CasePerson, Identifier, Person

__all__ = [
    "Action",
    "ActionStep",
    "Alert",
    "Case",
    "CaseAccess",
    "CaseLink",
    "CasePerson",
    "CaseSubstance",
    "CategoryDecision",
    "ChecklistItem",
    "Concern",
    "CustodyEvent",
    "Exhibit",
    "Fact",
    "Identifier",
    "Judgement",
    "LiaisonEntry",
    "Person",
    "Profile",
    "Referral",
]
