"""The department's quality page and its CSV: nurses (their teams) and admins (all teams)."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from reporting.decorators import AuthenticatedHttpRequest
from reporting.pages.quality import CSV_COLUMNS, csv_rows, quality_page
from reporting.roles import is_admin, is_nurse
from reporting.selectors.quality import Period, quality_figures, quality_period, quality_teams

MAX_WEEKS = 104


class QualityFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Care team"),
        queryset=None,
        required=False,
        empty_label=_("All my teams"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        last = end or timezone.localdate()
        if start and start > last:
            self.add_error("end" if end else "start", _("The end comes after the start."))
        elif start and (last - start).days > MAX_WEEKS * 7:
            self.add_error("start", _("At most two years at a time."))
        return data

    def choice(self) -> tuple[Period, list[int] | None]:
        """The weeks and teams asked for; the defaults where the input was not usable."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        team = data.get("team")
        return quality_period(data.get("start"), data.get("end")), [team.pk] if team else None


def _figures(request: AuthenticatedHttpRequest) -> tuple[QualityFilterForm, Any]:
    user = request.user
    if not (is_nurse(user) or is_admin(user)):
        raise Http404  # families: no such page
    form = QualityFilterForm(request.GET or None, teams=quality_teams(user))
    if is_admin(user):
        form.fields["team"].empty_label = _("All teams")  # type: ignore[attr-defined]
    period, team_ids = form.choice()
    return form, quality_figures(user, period, team_ids)


@never_cache
@login_required
@require_safe
def quality(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    context = {"form": form, "page": quality_page(figures), "query": request.GET.urlencode()}
    return render(request, "reporting/quality/quality.html", context)


@never_cache
@login_required
@require_safe
def quality_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    _form, figures = _figures(request)
    period = figures.period
    name = f"immunowatch-quality-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(figures))
    return response
