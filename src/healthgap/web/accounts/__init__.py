"""Accounts: organisations, people's roles in them, and the permission checks."""
