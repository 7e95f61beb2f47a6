"""The action plan's data: what the partnership is doing, for whom, where, and how it goes.

Writes go through :mod:`healthgap.web.plan.actions` (permission checks, audit, optimistic
concurrency), never through these models directly.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from healthgap.web.accounts.models import Organisation


class Priority(models.Model):
    """A Marmot principle (seeded) or a local priority (added by an administrator)."""

    class Kind(models.TextChoices):
        MARMOT = "marmot", "Marmot principle"
        LOCAL = "local", "Local priority"

    key = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LOCAL)
    order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class PopulationGroup(models.Model):
    """A community of interest: Core20, carers, people experiencing homelessness…"""

    key = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    """An area actions and insights are tied to: the whole place, an MSOA, a ward…"""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    DONE = "done", "Done"
    STOPPED = "stopped", "Stopped"


#: Statuses of work that is still open (can be overdue).
OPEN = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK)


class Action(models.Model):
    """One piece of work in the plan, led by one organisation."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_actions")
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_actions")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="actions")
    groups = models.ManyToManyField(PopulationGroup, blank=True, related_name="actions")
    localities = models.ManyToManyField(Locality, blank=True, related_name="actions")
    indicator_ids = models.JSONField(default=list, blank=True)  # warehouse indicator ids
    baseline = models.FloatField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "title"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or date.today()
        return self.status in OPEN and self.due_date is not None and self.due_date < today


class ProgressUpdate(models.Model):
    """A dated note on an action: its status then, what happened, optionally a measure."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    narrative = models.TextField()
    measured_value = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.action} — {self.date}"
