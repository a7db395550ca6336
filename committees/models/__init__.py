"""The models of the committees app, one module per sub-domain.

``areas`` and ``access`` hold the tree of administrative units and the one access rule
(``ScopedQuerySet``); every other module is a domain of records scoped through them.
Everything stays importable as ``from committees.models import X`` (the migrations, too,
name ``committees.models.document_upload_to`` and friends).
"""

from ..platform.percent import share
from .access import (
    EDITOR_ROLES,
    Role,
    RoleAssignment,
    ScopedQuerySet,
    User,
    UserManager,
    covering_paths,
)
from .areas import Area, AreaQuerySet, KeptOnItsArea, attribution_field
from .choices import REORGANISATION_DATE, Level, Structure
from .committees import (
    REQUIRED_ROLES,
    CommitteeDecision,
    CommitteeQuerySet,
    CommitteeRole,
    DecisionKind,
    DecisionQuerySet,
    Membership,
    MembershipQuerySet,
    SteeringCommittee,
    decision_upload_to,
)
from .democracy import (
    ConventionKind,
    CountedAs,
    DemocracyActivity,
    DemocracyKind,
    Supervisor,
    VillageConvention,
)
from .documents import Document, DocumentKind, document_upload_to
from .plans import (
    OPEN_TASK,
    AnnualPlan,
    AnnualPlanQuerySet,
    PlanTask,
    PlanTaskQuerySet,
    TaskStatus,
)
from .recognition import AwardForm, Commendation, ModelField, RecipientKind, TypicalModel
from .trainings import Training, TrainingKind, TrainingQuerySet
from .units import (
    MemberUnit,
    MemberUnitQuerySet,
    UnitEvent,
    UnitEventKind,
    UnitEventQuerySet,
    UnitKind,
    existing_on,
    held_in,
    regulation_by,
)

__all__ = [
    "EDITOR_ROLES",
    "OPEN_TASK",
    "REORGANISATION_DATE",
    "REQUIRED_ROLES",
    "AnnualPlan",
    "AnnualPlanQuerySet",
    "Area",
    "AreaQuerySet",
    "AwardForm",
    "Commendation",
    "CommitteeDecision",
    "CommitteeQuerySet",
    "CommitteeRole",
    "ConventionKind",
    "CountedAs",
    "DecisionKind",
    "DecisionQuerySet",
    "DemocracyActivity",
    "DemocracyKind",
    "Document",
    "DocumentKind",
    "KeptOnItsArea",
    "Level",
    "MemberUnit",
    "MemberUnitQuerySet",
    "Membership",
    "MembershipQuerySet",
    "ModelField",
    "PlanTask",
    "PlanTaskQuerySet",
    "RecipientKind",
    "Role",
    "RoleAssignment",
    "ScopedQuerySet",
    "SteeringCommittee",
    "Structure",
    "Supervisor",
    "TaskStatus",
    "Training",
    "TrainingKind",
    "TrainingQuerySet",
    "TypicalModel",
    "UnitEvent",
    "UnitEventKind",
    "UnitEventQuerySet",
    "UnitKind",
    "User",
    "UserManager",
    "VillageConvention",
    "attribution_field",
    "covering_paths",
    "decision_upload_to",
    "document_upload_to",
    "existing_on",
    "held_in",
    "regulation_by",
    "share",
]
