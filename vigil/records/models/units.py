from django.db import models

from vigil.domain import limits


class Unit(models.Model):
    """A command unit (borough, basic command unit, the force above them), as the last units
    file loaded gave it (``vigil.services.casework.units.load_units`` replaces the whole set).
    Cases and users point at it by its code."""

    code = models.CharField(max_length=limits.UNIT_CODE, unique=True)
    name = models.CharField(max_length=limits.UNIT_NAME)
    parent = models.CharField(
        max_length=limits.UNIT_CODE,
        blank=True,
        help_text="The code of the unit above; '' for none.",
    )
    outline = models.TextField(help_text="The boundary: a GeoJSON Polygon or MultiPolygon.")
    position = models.PositiveIntegerField(
        help_text="Its place in the file: between two units equally deep that both hold a "
        "point, the first wins."
    )
    loaded_at = models.DateTimeField(
        help_text="When the file that gave it was loaded (the same on every unit of one load)."
    )
    duty_inspector = models.CharField(
        max_length=limits.USERNAME,
        blank=True,
        help_text="The username of the unit's duty inspector, the last step of escalation "
        "(set with `vigil units duty`; kept when the units file is loaded again).",
    )

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.code
