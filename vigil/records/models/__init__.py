from vigil.records.models.access import CaseAccess
from vigil.records.models.accounts import Profile
from vigil.records.models.attachments import Attachment
from vigil.records.models.case import Case, ChecklistItem, Fact
from vigil.records.models.clusters import ClusterAlert, ClusterCase, ClusterJudgement
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
from vigil.records.models.linkage import Alert, CaseKey, CaseLink, CaseSubstance, Judgement
from vigil.records.models.notifications import Notification
from vigil.records.models.panel import AdviceAnswer, PanelAdvice, PanelReferral, PanelReferralCase
from vigil.records.models.people import CasePerson, Identifier, Person, shown_ref
from vigil.records.models.portal import PortalMessage, SpentToken, Submission
from vigil.records.models.rates import RateAlert, RateAlertCase, RateJudgement
from vigil.records.models.reviews import Review, ReviewOutcome
from vigil.records.models.units import Unit

__all__ = [
    "Action",
    "ActionStep",
    "AdviceAnswer",
    "Alert",
    "Attachment",
    "Case",
    "CaseAccess",
    "CaseKey",
    "CaseLink",
    "CasePerson",
    "CaseSubstance",
    "CategoryDecision",
    "ChecklistItem",
    "ClusterAlert",
    "ClusterCase",
    "ClusterJudgement",
    "Concern",
    "CustodyEvent",
    "Exhibit",
    "Fact",
    "Identifier",
    "Judgement",
    "LiaisonEntry",
    "Notification",
    "PanelAdvice",
    "PanelReferral",
    "PanelReferralCase",
    "Person",
    "PortalMessage",
    "Profile",
    "RateAlert",
    "RateAlertCase",
    "RateJudgement",
    "Referral",
    "Review",
    "ReviewOutcome",
    "SpentToken",
    "Submission",
    "Unit",
    "shown_ref",
]
