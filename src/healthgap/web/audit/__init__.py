"""Audit trail: one event per change, written by the actions layer in the same transaction."""
