from django.db import models
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from vigil.domain import limits
from vigil.records.models.case import Case


class Person(models.Model):
    """Someone who appears on one or more cases. ``ref`` is stable across cases and allocated
    by Vigil (``vigil.services.casework.writers.persons``), so it cannot be guessed; the ref a face
    gave
    is the ``external_ref`` of their entry on that case."""

    ref = models.CharField(max_length=limits.PERSON_REF, unique=True)
    name = models.CharField(max_length=limits.PERSON_NAME, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    date_of_birth = models.DateField(null=True)

    def __str__(self) -> str:
        return self.name or self.ref


class CasePerson(models.Model):
    """A person's part in one case: their roles and what they said. On the case they go by
    ``external_ref`` (the ref given for them here) when there is one, else by their ref."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    external_ref = models.CharField(
        max_length=limits.PERSON_REF,
        blank=True,
        default="",
        db_index=True,
        help_text="The person's reference as the face or the import file gave it on this case.",
    )
    roles = models.JSONField(default=list)
    statement = models.TextField(blank=True)
    known_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_entry_per_person_case")
        ]


def shown_ref(case: str, person: str) -> Coalesce:
    """The ref a person goes by on a case, as an expression over rows that have ``case`` and
    ``person`` (lookup paths of the two foreign keys): the ref given for them on that case,
    else their own."""
    given = CasePerson.objects.filter(case=OuterRef(case), person=OuterRef(person))
    return Coalesce(
        NullIf(Subquery(given.values("external_ref")[:1]), Value("")), F(f"{person}__ref")
    )


class Identifier(models.Model):
    """A phone, e-mail, address, handle, alias or name of a person, as recorded on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="identifiers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=10)
    value = models.CharField(max_length=limits.IDENTIFIER)
    normalised = models.CharField(max_length=limits.IDENTIFIER)
    known_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=limits.USERNAME)

    class Meta:
        indexes = [models.Index(fields=["kind", "normalised"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "kind", "normalised"], name="identifier_once_per_case"
            )
        ]
