"""API tokens: what scripts send as ``Authorization: Bearer TOKEN`` (only a hash is kept)."""
