"""The interchange format: JSON Lines, one case per line (schema/case.schema.json)."""
