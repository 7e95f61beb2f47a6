"""``ApiToken``: a user's key for the JSON API, stored as a SHA-256 hash only.

The token itself is shown once, when ``healthgap token`` makes it; the database holds
its hash, so a copy of the database does not let anyone call the API. The tokens are
long random strings, so a plain (unsalted, fast) hash is enough: there is nothing to
guess by brute force, unlike a password.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the token
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"
