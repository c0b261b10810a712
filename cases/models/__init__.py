"""Cases, their handlers and parties, the per-case integrity declarations and the case risk assessments."""

from cases.models.assessments import Approval, Assessment, ColourGrade, RiskFactor
from cases.models.cases import (
    Case,
    CaseHandler,
    CaseImport,
    CaseParty,
    CasePolicy,
    ConflictMatch,
    DeclaredRelation,
    Stage,
)
from cases.models.declarations import (
    Declaration,
    DeclarationAmendment,
    DeclarationAnswer,
    DeclarationQuestion,
    QuestionOptOut,
)
from cases.models.notices import SupervisionCard, SupervisionNotice

__all__ = [
    "Approval",
    "Assessment",
    "Case",
    "CaseHandler",
    "CaseImport",
    "CaseParty",
    "CasePolicy",
    "ColourGrade",
    "ConflictMatch",
    "Declaration",
    "DeclarationAmendment",
    "DeclarationAnswer",
    "DeclarationQuestion",
    "DeclaredRelation",
    "QuestionOptOut",
    "RiskFactor",
    "Stage",
    "SupervisionCard",
    "SupervisionNotice",
]
