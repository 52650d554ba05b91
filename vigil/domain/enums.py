"""The controlled vocabularies of a death investigation."""

from __future__ import annotations

from enum import StrEnum


class PlaceType(StrEnum):
    HOME = "home"
    OTHER_RESIDENCE = "other_residence"
    HOSTEL = "hostel"
    HOSPITAL = "hospital"
    CARE_HOME = "care_home"
    STREET = "street"
    ALLEY = "alley"
    CHURCHYARD = "churchyard"
    CEMETERY = "cemetery"
    PARK = "park"
    WOODLAND = "woodland"
    RIVER = "river"
    CANAL = "canal"
    BEACH = "beach"
    RAILWAY = "railway"
    VEHICLE = "vehicle"
    CAR_PARK = "car_park"
    COMMERCIAL = "commercial"
    LICENSED_PREMISES = "licensed_premises"
    OTHER = "other"


# Places open to the public: a young death in one of these is never routine.
PUBLIC_PLACES = frozenset(
    {
        PlaceType.STREET,
        PlaceType.ALLEY,
        PlaceType.CHURCHYARD,
        PlaceType.CEMETERY,
        PlaceType.PARK,
        PlaceType.WOODLAND,
        PlaceType.RIVER,
        PlaceType.CANAL,
        PlaceType.BEACH,
        PlaceType.RAILWAY,
        PlaceType.CAR_PARK,
    }
)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class Presence(StrEnum):
    """Whether an item (phone, wallet, ID) was with the body."""

    PRESENT = "present"
    MISSING = "missing"
    UNKNOWN = "unknown"


class ToxicologyStatus(StrEnum):
    NOT_REQUESTED = "not_requested"
    PENDING = "pending"
    CONFIRMED = "confirmed"


class CauseStatus(StrEnum):
    UNKNOWN = "unknown"
    PENDING = "pending"
    CONFIRMED = "confirmed"


class Mechanism(StrEnum):
    """How the death was caused, in the broad classes a screen groups deaths by (the store's
    analogue of the weapon in the FBI's Supplementary Homicide Reports)."""

    DRUG_TOXICITY = "drug_toxicity"
    ASPHYXIA = "asphyxia"
    HANGING = "hanging"
    DROWNING = "drowning"
    BLUNT_FORCE = "blunt_force"
    SHARP_FORCE = "sharp_force"
    FIREARM = "firearm"
    FALL = "fall"
    NATURAL = "natural"
    OTHER = "other"
    UNKNOWN = "unknown"


class InstitutionType(StrEnum):
    """Where a death certified in an institution happened."""

    CARE_HOME = "care_home"
    HOSPITAL_WARD = "hospital_ward"
    HOSPICE = "hospice"
    CUSTODY = "custody"
    OTHER = "other"


class Outcome(StrEnum):
    """The investigation's outcome (as the Murder Accountability Project counts a case solved:
    charged is cleared; open and closed without charge are not; no crime leaves the count)."""

    OPEN = "open"
    CHARGED = "charged"
    CLOSED_NO_CHARGE = "closed_no_charge"
    NO_CRIME = "no_crime"


class DeviceStatus(StrEnum):
    NOT_SOUGHT = "not_sought"
    SOUGHT = "sought"
    NOT_FOUND = "not_found"
    SEIZED = "seized"
    EXAMINED = "examined"


class CctvStatus(StrEnum):
    SOUGHT = "sought"
    OBTAINED = "obtained"
    VIEWED = "viewed"
    NONE_AVAILABLE = "none_available"


class Role(StrEnum):
    """The part a person plays in a case. One person may hold several roles."""

    DECEASED = "deceased"
    NEXT_OF_KIN = "next_of_kin"
    PARTNER = "partner"
    FRIEND = "friend"
    FLATMATE = "flatmate"
    LODGER = "lodger"
    HOST = "host"
    CALLER = "caller"
    FINDER = "finder"
    WITNESS = "witness"
    PERSON_OF_INTEREST = "person_of_interest"
    PERSON_REPORTED = "person_reported"  # named in a drugging report as the one who harmed


class RecordKind(StrEnum):
    """What a record in the store is. Deaths are the centre: categories, the floor, the
    checklist and cluster detection are about deaths. The other kinds are kept with the same
    facts, persons, need-to-know, masking and audit, and linked by the same pair engine
    (``vigil.domain.kinds`` says which fields each kind holds)."""

    DEATH = "death"
    DRUGGING = "drugging"  # a report of drugging or sexual violence
    INTELLIGENCE = "intelligence"  # a prior police contact, a crime or a missing-person report


class Reporter(StrEnum):
    """Who made a report of drugging or sexual violence."""

    SURVIVOR = "survivor"
    THIRD_PARTY = "third_party"


class IntelligenceType(StrEnum):
    """What an intelligence entry records."""

    PRIOR_CONTACT = "prior_contact"
    CRIME_REPORT = "crime_report"
    MISSING_PERSON = "missing_person"


class IdentifierKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    HANDLE = "handle"
    ALIAS = "alias"
    NAME = "name"


class LiaisonMethod(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    VIDEO = "video"
    OTHER = "other"


class ExhibitKind(StrEnum):
    NOTE = "note"
    PHONE = "phone"
    DEVICE = "device"
    BEDDING = "bedding"
    CONTAINER = "container"
    CLOTHING = "clothing"
    DRUG_PARAPHERNALIA = "drug_paraphernalia"
    SAMPLE = "sample"
    DOCUMENT = "document"
    CCTV_MEDIA = "cctv_media"
    OTHER = "other"


class CustodyEventKind(StrEnum):
    SEIZED = "seized"
    BOOKED_IN = "booked_in"
    TRANSFERRED = "transferred"
    SENT_FOR_EXAMINATION = "sent_for_examination"
    RETURNED = "returned"
    DESTROYED = "destroyed"


class ActionState(StrEnum):
    RAISED = "raised"
    ALLOCATED = "allocated"
    COMPLETED = "completed"
    RESULTED = "resulted"
    FILED = "filed"


ACTION_ORDER: tuple[ActionState, ...] = tuple(ActionState)
ACTION_DONE: frozenset[ActionState] = frozenset(
    {ActionState.COMPLETED, ActionState.RESULTED, ActionState.FILED}
)
"""The states in which an action is no longer pending."""


class ReferralState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Category(StrEnum):
    """The four death categories adopted after the Barking deaths, least to most serious."""

    EXPECTED = "expected"
    UNEXPECTED_NOT_SUSPICIOUS = "unexpected_not_suspicious"
    UNEXPECTED_UNDER_INVESTIGATION = "unexpected_under_investigation"
    HOMICIDE = "homicide"

    @property
    def rank(self) -> int:
        return list(Category).index(self)

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.EXPECTED: "Expected",
    Category.UNEXPECTED_NOT_SUSPICIOUS: "Unexpected, not suspicious",
    Category.UNEXPECTED_UNDER_INVESTIGATION: "Unexpected, under investigation",
    Category.HOMICIDE: "Homicide",
}


class UserRole(StrEnum):
    """Roles of the people who use Vigil (what they may do is declared in one table later)."""

    RESPONSE_OFFICER = "response_officer"
    REVIEWING_OFFICER = "reviewing_officer"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    PANEL_MEMBER = "panel_member"
    SAFEGUARDING_OFFICER = "safeguarding_officer"
    ADMINISTRATOR = "administrator"
