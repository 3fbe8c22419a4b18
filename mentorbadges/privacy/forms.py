"""The erasure form: an explicit confirmation, since nothing brings the data back."""

from django import forms


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        label="I understand that the name, e-mail address and feedback cannot be "
        "brought back.",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )
