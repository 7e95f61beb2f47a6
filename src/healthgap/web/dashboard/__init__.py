"""The dashboard: overview, indicators, map and targeting pages over the warehouse."""
