"""Lights and their feed, integrity warnings with rectification, clues and clarifications,
notifications."""

from alerts.models.clues import Clarification, Clue, ClueStep, Violation
from alerts.models.lights import AlertPolicy, Light, LightEvent, LightSnapshot, Notification
from alerts.models.outreach import Circular, CircularRecipient, ReturnVisit, VisitQuestion
from alerts.models.warnings import IntegrityWarning, RectificationAction

__all__ = [
    "AlertPolicy",
    "Circular",
    "CircularRecipient",
    "Clarification",
    "Clue",
    "ClueStep",
    "IntegrityWarning",
    "Light",
    "LightEvent",
    "LightSnapshot",
    "Notification",
    "RectificationAction",
    "ReturnVisit",
    "Violation",
    "VisitQuestion",
]
