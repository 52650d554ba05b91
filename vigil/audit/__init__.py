"""The audit trail: one entry point (vigil.audit.service.record), hash-chained, append-only."""
