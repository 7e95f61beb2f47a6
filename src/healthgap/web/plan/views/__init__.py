"""The plan's views, one module per page."""
