"""The schema of a policy pack: header, floor rules, checklist rules and panel referral rules."""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from vigil.domain import limits
from vigil.domain.access import Permission, allows
from vigil.domain.enums import Category, Role, UserRole
from vigil.policy.conditions import Condition, Node, Where
from vigil.policy.durations import Duration
from vigil.policy.escalation import EscalationStep
from vigil.policy.lists import ListName
from vigil.policy.wording import PANEL_TITLE

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=limits.RULE_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Where a deadline runs from: the report's times, the latest decision, the latest confirmation of
# the case's series, or (for_each rules) the item's own time or its own deadline.
CaseAnchor = Literal["reported_at", "found_at", "decided_at", "series_confirmed", "portal_concern"]
Anchor = CaseAnchor | Literal["item", "item_deadline"]
# Whether every category decision needs a sign-off by one of signoff_roles, or only one below
# the floor (there, the supervisor's override is the sign-off).
SignoffRequired = Literal["always", "below_floor"]
_PANEL_REASON = limits.CHECKLIST_TITLE - len(PANEL_TITLE.format(reason=""))


class FloorRule(Node):
    """When ``when`` holds, the case cannot be categorised below ``category`` without a
    supervisor's recorded override."""

    id: RuleId
    when: Condition
    category: Category
    reason: Text


class ForEach(Node):
    """The items a rule is checked for, one by one: ``{in: referrals}``."""

    in_: ListName = Field(alias="in")
    where: Where = {}


class ChecklistRule(Node):
    """A procedure the reviewing officer checks: unmet when it applies and is not satisfied."""

    id: RuleId
    title: Annotated[Text, StringConstraints(max_length=limits.CHECKLIST_TITLE)]
    rule: Text = Field(description="The procedure, and why it exists.")
    owner_role: UserRole
    applies_when: Condition | None = None  # None: always
    for_each: ForEach | None = None
    satisfied_when: Condition
    deadline: Duration | None = None
    anchor: Anchor = "reported_at"


class PanelRule(Node):
    """When ``when`` holds, the case is to be referred to the independent advisory panel: until
    a referral is recorded (the fact ``panel_referred``), the checklist shows "Referral to the
    advisory panel required: <reason>"."""

    id: RuleId
    reason: Annotated[Text, StringConstraints(max_length=_PANEL_REASON)]
    rule: Text = Field(description="Why such cases go to the panel.")
    when: Condition
    owner_role: UserRole = UserRole.REVIEWING_OFFICER
    deadline: Duration | None = None
    anchor: CaseAnchor = "reported_at"


Rule = TypeVar("Rule", FloorRule, ChecklistRule, PanelRule)


class RuleFile(Node):
    """A pack file holding rules (any file of a pack directory but pack.yaml)."""

    floor: tuple[FloorRule, ...] = ()
    checklist: tuple[ChecklistRule, ...] = ()
    panel_referral: tuple[PanelRule, ...] = ()


class PolicyPack(RuleFile):
    """A whole pack: its header (from pack.yaml) and the rules of all its files, in order."""

    name: Text
    version: Text
    description: str = ""
    supervisor_roles: frozenset[UserRole] = Field(min_length=1)
    # Whose category decision counts as the reviewing officer's: a decision made, or signed
    # off (overridden), by one of these roles. A response officer's own decision does not.
    signoff_roles: frozenset[UserRole] = Field(
        default=frozenset({UserRole.REVIEWING_OFFICER}), min_length=1
    )
    signoff_required: SignoffRequired = "always"
    presumption: Category = Category.UNEXPECTED_UNDER_INVESTIGATION
    # The chain an overdue checklist item climbs (vigil.policy.escalation); none: it stays with
    # its owner.
    escalation: tuple[EscalationStep, ...] = ()
    # Who counts as family for liaison (the `family` list); a pack without the key keeps the
    # narrowest reading, the next of kin.
    family_relationships: frozenset[Role] = Field(
        default=frozenset({Role.NEXT_OF_KIN}), min_length=1
    )

    @field_validator("family_relationships")
    @classmethod
    def _not_the_deceased(cls, roles: frozenset[Role]) -> frozenset[Role]:
        if Role.DECEASED in roles:
            raise ValueError("the deceased is not their own family; name the roles of the living")
        return roles

    @field_validator("supervisor_roles", "signoff_roles")
    @classmethod
    def _may_categorise(cls, roles: frozenset[UserRole]) -> frozenset[UserRole]:
        # A role that may not decide a category at all cannot sign one off or override one.
        unable = sorted(r.value for r in roles if not allows(r, Permission.CATEGORISE))
        if unable:
            raise ValueError(f"{', '.join(unable)} may not decide a category (the role table)")
        return roles

    @field_validator("version")
    @classmethod
    def _fits_with_name(cls, version: str, info: ValidationInfo) -> str:
        # Every case evaluated by the pack stores its 'name@version'.
        stored = f"{info.data.get('name', '')}@{version}"
        if len(stored) > limits.POLICY_VERSION:
            raise ValueError(
                f"'{stored}' has {len(stored)} characters; name@version is stored on every "
                f"case and has at most {limits.POLICY_VERSION}"
            )
        return version

    def floor_rule(self, rule_id: str) -> FloorRule:
        """The floor rule with this id; KeyError if there is none."""
        return _by_id(self.floor, rule_id)

    def checklist_rule(self, rule_id: str) -> ChecklistRule:
        """The checklist rule with this id; KeyError if there is none."""
        return _by_id(self.checklist, rule_id)

    def panel_rule(self, rule_id: str) -> PanelRule:
        """The panel referral rule with this id; KeyError if there is none."""
        return _by_id(self.panel_referral, rule_id)


def _by_id(rules: tuple[Rule, ...], rule_id: str) -> Rule:
    for rule in rules:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
