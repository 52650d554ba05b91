"""Categories and the reviewing officer's checklist, written as data (YAML policy packs).

Pure Python: no Django, and no I/O beyond reading a pack's YAML files. See README.md in this
package for the pack format.
"""

from vigil.policy.errors import PolicyError
from vigil.policy.escalation import EscalationStep, escalation_step
from vigil.policy.evaluate import check_decision, evaluate, floor_of
from vigil.policy.facts import CaseFacts
from vigil.policy.loader import default_pack, load_pack
from vigil.policy.model import ChecklistRule, FloorRule, PanelRule, PolicyPack
from vigil.policy.panel import is_sensitive
from vigil.policy.result import Evaluation, FloorReason, UnmetItem

__all__ = [
    "CaseFacts",
    "ChecklistRule",
    "EscalationStep",
    "Evaluation",
    "FloorReason",
    "FloorRule",
    "PanelRule",
    "PolicyError",
    "PolicyPack",
    "UnmetItem",
    "check_decision",
    "default_pack",
    "escalation_step",
    "evaluate",
    "floor_of",
    "is_sensitive",
    "load_pack",
]
