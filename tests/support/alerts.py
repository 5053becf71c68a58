"""Typed access to the alert a report or lab panel opened, for tests that know it did."""

from __future__ import annotations

from reporting.models import Alert, LabPanel, Report


def alert_of(item: Report | LabPanel) -> Alert:
    """The alert `item` opened or joined; fails the test when there is none."""
    assert item.alert is not None, f"{item} opened no alert"
    return item.alert
