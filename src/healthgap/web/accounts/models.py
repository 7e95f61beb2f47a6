"""Organisations and memberships: who belongs where, with which role."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from healthgap.web.accounts.roles import ROLE_CHOICES


class Organisation(models.Model):
    """A partner in the place: a council, an NHS trust, a charity, the fire service…"""

    class Sector(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        ICB = "icb", "Integrated care board"
        PRIMARY_CARE = "primary_care", "Primary care"
        LOCAL_AUTHORITY = "local_authority", "Local authority department"
        VCSE = "vcse", "Voluntary and community sector"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        HOUSING = "housing", "Housing"
        EDUCATION = "education", "Education"
        EMPLOYER = "employer", "Employer"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, default=Sector.OTHER)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one organisation (a person may belong to several)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=ROLE_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"
