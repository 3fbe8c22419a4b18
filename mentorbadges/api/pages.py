"""The program admin's page for the tokens mentoring platforms use."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorbadges.api.models import ApiToken
from mentorbadges.web.access import admin_viewer

NEW_SECRET = "api-token-shown-once"


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="What it is for",
        help_text="For example the platform or integration that will use it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest, program: str) -> HttpResponse:
    seen_as = admin_viewer(request, program)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        _, secret = ApiToken.issue(
            seen_as.program, form.cleaned_data["name"], created_by=request.user
        )
        # Shown once on the page the redirect leads to, so a reload makes
        # no second token.
        request.session[NEW_SECRET] = secret
        return redirect("api-tokens", program=seen_as.program.slug)

    secret = request.session.pop(NEW_SECRET, "")

    listed = ApiToken.objects.filter(program=seen_as.program).order_by("-created_at")
    return render(
        request,
        "api/tokens.html",
        {
            "program": seen_as.program,
            "viewer": seen_as,
            "form": form,
            "secret": secret,
            "tokens": listed,
            "nav": "tokens",
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, program: str, token: int) -> HttpResponse:
    seen_as = admin_viewer(request, program)
    found = get_object_or_404(ApiToken, program=seen_as.program, pk=token)
    found.revoke(by=request.user)
    messages.success(request, f"The token “{found.name}” no longer opens the API.")
    return redirect("api-tokens", program=seen_as.program.slug)
