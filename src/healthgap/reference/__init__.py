"""Shipped public reference data (standard populations, deprivation, areas) and loaders."""
