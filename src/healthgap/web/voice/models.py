"""Insights from communities, tied to groups, localities, themes (barriers) and actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from healthgap.web.plan.models import Action, Locality, PopulationGroup


class Theme(models.Model):
    """A barrier or topic people raise: access, transport, cost, language, trust…"""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Insight(models.Model):
    class Source(models.TextChoices):
        CHAMPION = "community_champion", "Community Champion"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        SURVEY = "survey", "Survey"
        EVENT = "event", "Event"
        COMPLAINT = "complaint", "Complaint"

    date = models.DateField()
    source = models.CharField(max_length=32, choices=Source.choices)
    group = models.ForeignKey(
        PopulationGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="insights"
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.PROTECT, related_name="insights"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="insights")
    text = models.TextField(max_length=2000)
    actions = models.ManyToManyField(Action, blank=True, related_name="insights")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}, {self.date}: {self.text[:40]}"
