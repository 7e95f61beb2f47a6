"""Community voice views, one module per page."""
