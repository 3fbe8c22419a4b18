"""The coordinator's choices for a shared summary: period and featured quote."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from mentorbadges.badges.models import Award
from mentorbadges.reports.table import FIRST_DAY, LAST_DAY
from mentorbadges.sharing.figures import Period

_CALENDAR = f"Choose a day from {FIRST_DAY:%-d %B %Y} to {LAST_DAY:%-d %B %Y}."
_IN_CALENDAR = [
    MinValueValidator(FIRST_DAY, _CALENDAR),
    MaxValueValidator(LAST_DAY, _CALENDAR),
]


class PeriodForm(forms.Form):
    starts_on = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the first day as a date."},
        validators=_IN_CALENDAR,
    )
    ends_on = forms.DateField(
        required=False,
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the last day as a date."},
        validators=_IN_CALENDAR,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("starts_on")
        end: date | None = data.get("ends_on")
        if start and end and start > end:
            self.add_error(
                "ends_on",
                forms.ValidationError(
                    "The last day comes before the first.", code="reversed"
                ),
            )
        return data

    @property
    def period(self) -> Period:
        return Period(
            self.cleaned_data.get("starts_on"), self.cleaned_data.get("ends_on")
        )


def requested_period(data: Mapping[str, Any]) -> Period:
    """Read the period the coordinator chose, leaving out a day that is wrong."""
    form = PeriodForm(data)
    form.is_valid()
    return form.period


class ShareForm(PeriodForm):
    quote = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        label="Featured feedback",
        error_messages={
            "invalid_choice": "That feedback can no longer be featured, or was not "
            "given in the chosen period; choose another or none."
        },
    )
    quote_names = forms.BooleanField(
        required=False, label="Show who gave and received the featured kudos"
    )

    def __init__(self, *args: Any, choices: list[Award], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.awards = {award.pk: award for award in choices}
        field = self.fields["quote"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "No quote")] + [
            (award.pk, award.feedback) for award in choices
        ]

    def clean_starts_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("starts_on"), "first")

    def clean_ends_on(self) -> date | None:
        return _not_future(self.cleaned_data.get("ends_on"), "last")

    @property
    def chosen_quote(self) -> Award | None:
        pk = self.cleaned_data.get("quote")
        return self.awards.get(pk) if pk is not None else None


def _not_future(day: date | None, which: str) -> date | None:
    # Somewhere on Earth it is already tomorrow; later than that, nothing has
    # happened yet for a public page to show.
    if day is not None and day > timezone.now().date() + timedelta(days=1):
        raise forms.ValidationError(
            f"The {which} day is in the future; a shared page shows what has happened.",
            code="future",
        )
    return day
