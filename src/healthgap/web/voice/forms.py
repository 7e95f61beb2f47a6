"""The community voice forms: filtering the insights, and recording a new one.

Choices are read from the database when a form is made, so groups, localities, themes
and actions added since are offered. Recording goes through
:func:`healthgap.web.voice.actions.create_insight`, which checks every field again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms

from healthgap.web.plan.models import Action, Locality, PopulationGroup
from healthgap.web.voice.fields import MAX_TEXT
from healthgap.web.voice.models import Insight, Theme


def _groups() -> list[tuple[str, str]]:
    return list(PopulationGroup.objects.values_list("key", "name"))


def _localities() -> list[tuple[str, str]]:
    return list(Locality.objects.values_list("code", "name"))


def _themes() -> list[tuple[str, str]]:
    return list(Theme.objects.values_list("key", "name"))


def fingerprint(text: str) -> str:
    """A digest of the text the writer was warned about, so that ticking "not personal
    data" covers that text only: if it changes, it is checked (and warned about) again."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


class InsightFilter(forms.Form):
    """The insight list's filters (GET); every one optional."""

    group = forms.ChoiceField(label="Community or group", required=False)
    locality = forms.ChoiceField(label="Locality", required=False)
    theme = forms.ChoiceField(label="Theme", required=False)
    source = forms.ChoiceField(label="Source", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "group": [("", "All groups"), *_groups()],
            "locality": [("", "All localities"), *_localities()],
            "theme": [("", "All themes"), *_themes()],
            "source": [("", "All sources"), *Insight.Source.choices],
        }
        for name, options in choices.items():
            self.fields[name].choices = options

    def chosen(self) -> dict[str, str]:
        """The filters that were given and are valid (an invalid one is reported, not used)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class InsightForm(forms.Form):
    """A new insight; ``confirm_not_personal`` appears once the text has been warned about."""

    date = forms.DateField(
        label="Date",
        help_text="The day it was said or heard.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Enter the date it was said or heard",
            "invalid": "Enter a real date, for example 2025-03-14",
        },
    )
    source = forms.ChoiceField(
        label="Source",
        error_messages={"required": "Choose where the insight came from"},
    )
    group = forms.ChoiceField(label="Community or population group", required=False)
    locality = forms.ChoiceField(label="Locality", required=False)
    themes = forms.MultipleChoiceField(
        label="Themes",
        required=False,
        help_text="Choose every barrier or topic it raises.",
        widget=forms.CheckboxSelectMultiple,
    )
    text = forms.CharField(
        label="What people said",
        max_length=MAX_TEXT,
        help_text=(
            f"A short summary, at most {MAX_TEXT:,} characters. Leave out names, contact "
            "details, NHS numbers and postcodes: record what a community said, never who said it."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter what people said",
            "max_length": f"What people said must be {MAX_TEXT:,} characters or fewer",
        },
    )
    actions = forms.MultipleChoiceField(
        label="Actions taken in response",
        required=False,
        help_text=(
            "The plan's actions that respond to it. Hold Ctrl (⌘ on a Mac) to choose more than one."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    confirm_not_personal = forms.BooleanField(
        label="I have checked: this is not personal data — save anyway", required=False
    )
    warned = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = Action.objects.select_related("lead").order_by("title", "pk")
        choices = {
            "source": [("", "Choose a source"), *Insight.Source.choices],
            "group": [("", "Not recorded"), *_groups()],
            "locality": [("", "Not recorded"), *_localities()],
            "themes": _themes(),
            "actions": [(str(a.pk), f"{a.title} ({a.lead})") for a in actions],
        }
        if not choices["actions"]:
            del self.fields["actions"]  # nothing in the plan to respond with yet
        for name, options in choices.items():
            if name in self.fields:
                self.fields[name].choices = options

    @property
    def offers_actions(self) -> bool:
        """Whether the plan has actions to choose from (else the field is left out)."""
        return "actions" in self.fields

    def raw(self) -> dict[str, Any]:
        """The cleaned values in the form :func:`~healthgap.web.voice.actions.create_insight`
        takes (keys, codes and ids)."""
        data = self.cleaned_data
        return {
            "date": data["date"].isoformat(),
            "source": data["source"],
            "group": data["group"],
            "locality": data["locality"],
            "themes": data["themes"],
            "text": data["text"],
            "actions": data.get("actions", []),
        }

    def confirmed(self) -> bool:
        """Whether the writer ticked "not personal data" for exactly the text now sent."""
        data = self.cleaned_data
        return bool(data["confirm_not_personal"]) and data["warned"] == fingerprint(data["text"])
