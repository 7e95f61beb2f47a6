"""The plan pages' forms: filtering the plan, an action, a progress update.

The action and progress forms check only their choices (the lead among the organisations
the person may edit for); every other value is checked by
:func:`healthgap.web.plan.fields.clean`, reached through the actions layer, so a form, the
API and an import refuse the same things with the same messages. The forms turn those
refusals (:class:`~healthgap.web.plan.errors.Invalid`) into inline errors and the error
summary's links. Browsers' own validation is off (``use_required_attribute``): every
message comes from the server, in the summary and next to its field (GOV.UK pattern).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from healthgap.web.accounts.models import Organisation
from healthgap.web.plan.errors import Invalid
from healthgap.web.plan.fields import clean
from healthgap.web.plan.models import Action, Locality, PopulationGroup, Priority, Status

Choices = Sequence[tuple[str, str]]
_VERBS = ("is ", "must ", "cannot ")


def sentence(label: str, message: str) -> str:
    """``("Title", "is required")`` → ``"Title is required"``; otherwise ``"Label: message"``."""
    if message.startswith(_VERBS):
        return f"{label} {message}"
    return f"{label}: {message}"


class ErrorsMixin:
    """Error summary entries and turning the actions layer's refusals into field errors."""

    #: The actions layer's field names that this form shows under another name.
    renamed: Mapping[str, str] = {}

    def add_invalid(self, error: Invalid) -> None:
        form: Any = self
        for name, message in error.errors.items():
            name = self.renamed.get(name, name)
            if name in form.fields:
                form.add_error(name, sentence(str(form.fields[name].label), message))
            else:
                form.add_error(None, sentence(name, message))

    def check_rest(self, raw: Mapping[str, Any], indicators: Sequence[str] | None = None) -> None:
        """After Django refused some fields, check the others' ``raw`` values too (with
        the actions layer's rules, saving nothing), so every problem shows at once."""
        form: Any = self
        try:
            clean(raw, partial=True, indicators=indicators)
        except Invalid as error:
            refused = set(form.errors)
            rest = {k: v for k, v in error.errors.items() if self.renamed.get(k, k) not in refused}
            if rest:
                self.add_invalid(Invalid(rest))

    def summary(self) -> list[tuple[str, str]]:
        """``(anchor, message)`` for every error, in the form's order (non-field ones first)."""
        form: Any = self
        items = [("", str(m)) for m in form.non_field_errors()]
        for name in form.fields:
            if name in form.errors:
                items += [(self.anchor(name), str(m)) for m in form.errors[name]]
        return items

    def anchor(self, name: str) -> str:
        """The id a summary link jumps to: the control, or a group's first checkbox (none
        for a hidden field: there is nothing to fix there but to reload)."""
        form: Any = self
        bound = form[name]
        if bound.is_hidden:
            return ""
        if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            return f"{bound.auto_id}_0" if bound.field.choices else bound.auto_id
        return str(bound.auto_id)


class PlanFilter(forms.Form):
    """The plan list's filters (GET); invalid choices are shown as errors and not applied."""

    priority = forms.ChoiceField(required=False, label="Priority")
    group = forms.ChoiceField(required=False, label="Population group")
    organisation = forms.ChoiceField(required=False, label="Organisation (lead or partner)")
    locality = forms.ChoiceField(required=False, label="Locality")
    status = forms.ChoiceField(required=False, label="Status")

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__({k: v for k, v in data.items() if k in self.base_fields})
        self.use_required_attribute = False
        choose = self._choose
        choose("priority", "All priorities", [(p.key, p.title) for p in Priority.objects.all()])
        choose("group", "All groups", [(g.key, g.name) for g in PopulationGroup.objects.all()])
        choose(
            "organisation",
            "All organisations",
            [(str(o.pk), o.name) for o in Organisation.objects.all()],
        )
        choose("locality", "All localities", [(c.code, c.name) for c in Locality.objects.all()])
        choose("status", "All statuses", list(Status.choices))
        self.is_valid()  # fills cleaned_data with the valid filters only

    def _choose(self, name: str, everything: str, choices: Choices) -> None:
        field: Any = self.fields[name]
        field.choices = [("", everything), *choices]

    def chosen(self) -> dict[str, str]:
        """The filters in force (valid and not empty)."""
        return {k: v for k, v in self.cleaned_data.items() if v}

    def apply(self, actions: QuerySet[Action], *, status: bool = True) -> QuerySet[Action]:
        """``actions`` narrowed by the chosen filters (``status=False``: all but the status)."""
        chosen = self.chosen()
        if "priority" in chosen:
            actions = actions.filter(priorities__key=chosen["priority"])
        if "group" in chosen:
            actions = actions.filter(groups__key=chosen["group"])
        if "organisation" in chosen:
            organisation = int(chosen["organisation"])
            actions = actions.filter(Q(lead_id=organisation) | Q(partners__pk=organisation))
        if "locality" in chosen:
            actions = actions.filter(localities__code=chosen["locality"])
        if status and "status" in chosen:
            actions = actions.filter(status=chosen["status"])
        # The joins repeat an action once per matching partner etc.: take each once.
        return Action.objects.filter(pk__in=actions.values("pk"))


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def _checkboxes(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"{label}: %(value)s is not one of the choices"},
    )


class ActionForm(ErrorsMixin, forms.Form):
    """Every field of an action; ``version`` (hidden) only when editing one."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    lead = forms.ChoiceField(
        label="Lead organisation",
        help_text="You can choose the organisations whose actions you may edit.",
        error_messages={
            "required": "Choose the lead organisation",
            "invalid_choice": "Choose one of the organisations whose actions you may edit",
        },
    )
    partners = _checkboxes("Partner organisations")
    priorities = _checkboxes("Priorities")
    groups = _checkboxes("Population groups")
    localities = _checkboxes("Localities")
    indicator_ids = forms.MultipleChoiceField(
        required=False,
        label="Outcome indicators",
        help_text="The warehouse's indicators this action should move. To choose more than "
        "one, hold Ctrl (Cmd on a Mac) while you select.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    baseline = forms.CharField(
        label="Baseline",
        required=False,
        widget=_number_input(),
        help_text="The outcome indicator's value when the action started.",
    )
    target_value = forms.CharField(label="Target value", required=False, widget=_number_input())
    target_date = forms.CharField(
        label="Target date",
        required=False,
        widget=_date_input(),
        help_text="For example 2027-03-31.",
    )
    start_date = forms.CharField(label="Start date", required=False, widget=_date_input())
    due_date = forms.CharField(label="Due date", required=False, widget=_date_input())
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        error_messages={"invalid_choice": "Choose one of the statuses"},
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "The form had no version of the action: reload the page and make "
            "your change again",
            "invalid": "The form's version of the action is not a number: reload the page",
        },
    )

    #: Fields passed on to the actions layer (not the version).
    FIELDS = ("title", "description", "lead", "partners", "priorities", "groups",
              "localities", "indicator_ids", "baseline", "target_value", "target_date",
              "start_date", "due_date", "status")  # fmt: skip

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        leads: Sequence[Organisation],
        indicators: Choices,
        editing: bool = False,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.use_required_attribute = False
        fields: Any = self.fields
        if not editing:
            del fields["version"]
        lead_choices = [(str(o.pk), o.name) for o in leads]
        if len(lead_choices) == 1:  # nothing to choose: preselect it
            fields["lead"].choices = lead_choices
            self.initial.setdefault("lead", lead_choices[0][0])
        else:
            fields["lead"].choices = [("", "Choose…"), *lead_choices]
        fields["partners"].choices = [(str(o.pk), o.name) for o in Organisation.objects.all()]
        fields["priorities"].choices = [(p.key, p.title) for p in Priority.objects.all()]
        fields["groups"].choices = [(g.key, g.name) for g in PopulationGroup.objects.all()]
        fields["localities"].choices = [(c.code, c.name) for c in Locality.objects.all()]
        fields["indicator_ids"].choices = list(indicators)

    def raw(self) -> dict[str, Any]:
        """The submitted values, as the actions layer takes them."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def accepted(self) -> dict[str, Any]:
        """The values Django's fields accepted (all of them once the form is valid)."""
        return {n: self.cleaned_data[n] for n in self.FIELDS if n in self.cleaned_data}

    def shown(self, name: str, value: Any) -> str:
        """A field's value as a person reads it (choices by their labels)."""
        field: Any = self.fields[name]
        labels = dict(getattr(field, "choices", ()))
        values = value if isinstance(value, list | tuple) else [value]
        texts = [str(labels.get(str(v), v)) for v in values if v not in (None, "")]
        return "; ".join(texts) or "(empty)"

    def unsaved(self, current: Mapping[str, Any]) -> list[tuple[str, str]]:
        """``(label, value)`` of each submitted field that differs from ``current``."""
        out = []
        for name in self.FIELDS:
            mine, theirs = self.cleaned_data.get(name), current.get(name)
            if isinstance(mine, list) or isinstance(theirs, list):
                differs = sorted(mine or []) != sorted(theirs or [])
            else:
                differs = (mine or "") != (theirs or "")
            if differs:
                out.append((str(self.fields[name].label), self.shown(name, mine)))
        return out


def action_initial(action: Action) -> dict[str, Any]:
    """An action's current values as the form shows them."""

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    def day(value: Any) -> str:
        return value.isoformat() if value else ""

    return {
        "title": action.title,
        "description": action.description,
        "lead": str(action.lead_id),
        "partners": [str(pk) for pk in action.partners.values_list("pk", flat=True)],
        "priorities": list(action.priorities.values_list("key", flat=True)),
        "groups": list(action.groups.values_list("key", flat=True)),
        "localities": list(action.localities.values_list("code", flat=True)),
        "indicator_ids": list(action.indicator_ids or []),
        "baseline": number(action.baseline),
        "target_value": number(action.target_value),
        "target_date": day(action.target_date),
        "start_date": day(action.start_date),
        "due_date": day(action.due_date),
        "status": action.status,
        "version": action.version,
    }


class ProgressForm(ErrorsMixin, forms.Form):
    """A progress update: when, the status then, what happened, optionally a measure."""

    #: add_update checks the date and measure as an action's start date and baseline.
    renamed = {"start_date": "date", "baseline": "measured_value"}

    date = forms.CharField(
        label="Date", required=False, widget=_date_input(), help_text="Leave empty for today."
    )
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    narrative = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe what happened"},
    )
    measured_value = forms.CharField(
        label="Measured value (optional)",
        required=False,
        widget=_number_input(),
        help_text="The outcome indicator's latest value, if you measured it.",
    )

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, initial: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.use_required_attribute = False

    def accepted(self) -> dict[str, Any]:
        """The accepted values under the names the actions layer checks them by."""
        names = {"date": "start_date", "measured_value": "baseline", "status": "status"}
        return {names[n]: self.cleaned_data[n] for n in names if self.cleaned_data.get(n)}
