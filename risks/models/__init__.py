"""Power catalog, risk points, personal risk tables and the monthly self-check."""

from risks.models.catalog import (
    ONE_TO_FIVE,
    FlowStep,
    ImportBatch,
    PowerItem,
    RiskCategory,
    RiskPoint,
    RiskPointReview,
    RiskPolicy,
    RiskProposal,
)
from risks.models.personal import (
    CheckAmendment,
    CheckAnswer,
    MonthlyCheck,
    PersonalRiskItem,
    PersonalRiskTable,
    ResponsibilityLetter,
)

__all__ = [
    "ONE_TO_FIVE",
    "CheckAmendment",
    "CheckAnswer",
    "FlowStep",
    "ImportBatch",
    "MonthlyCheck",
    "PersonalRiskItem",
    "PersonalRiskTable",
    "PowerItem",
    "ResponsibilityLetter",
    "RiskCategory",
    "RiskPoint",
    "RiskPointReview",
    "RiskPolicy",
    "RiskProposal",
]
