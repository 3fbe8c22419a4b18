"""Forms of the web pages; every error has a stable code and a plain sentence."""

import re
import uuid

from django import forms

from mentorbadges.activity.events import FEEDBACK_LIMIT
from mentorbadges.badges.catalogue import KUDOS
from mentorbadges.badges.services import REASON_LIMIT

_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_key() -> str:
    return uuid.uuid4().hex


class KudosForm(forms.Form):
    category = forms.ChoiceField(
        choices=[(badge.code, badge.name) for badge in KUDOS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one of the five kinds of kudos.",
            "invalid_choice": "Choose one of the five kinds of kudos.",
        },
    )
    feedback = forms.CharField(
        required=False,
        max_length=FEEDBACK_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": FEEDBACK_LIMIT}),
        error_messages={
            "max_length": "Your note is longer than 1,000 characters. Please "
            "shorten it."
        },
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if not _KEY.match(key):
            raise forms.ValidationError(
                "This form has expired. Please try again.", code="invalid_key"
            )
        return key


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_LIMIT}),
        error_messages={
            "required": "Say why the kudos is withdrawn.",
            "max_length": f"The reason is longer than {REASON_LIMIT:,} characters. "
            "Please shorten it.",
        },
    )
