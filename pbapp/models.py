"""Imports every domain's models so metadata (Alembic, create_all) sees all tables."""
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import User  # noqa: F401
from .auth.oidc_models import ExternalIdentity  # noqa: F401
from .boards.models import Board, Meeting, Membership  # noqa: F401
from .images.models import Image  # noqa: F401
from .cycles.models import CloseChange, Cycle, Neighbourhood, Result  # noqa: F401
from .cycles.overrides import ResultOverride  # noqa: F401
from .metrics.models import (Measurement, Metric, MetricAudit, ProjectMetric,  # noqa: F401
                             PublishedCell)
from .projects.models import (Milestone, Project, ProjectStatusChange, ProjectUpdate,  # noqa: F401
                             Spending)
from .paper.models import PaperBatch, PaperEntry  # noqa: F401
from .proposals.models import Idea, Proposal, StatusChange  # noqa: F401
from .voting.models import Ballot, Participation, VoterRollEntry, VotingCode  # noqa: F401
from .addresses.models import RegisterAddress  # noqa: F401,E402
from .maps.models import Boundary  # noqa: F401,E402
from .comments.models import Comment, CommentFlag  # noqa: F401,E402
from .directory.models import Service  # noqa: F401,E402
from .outbox.models import OutgoingMail  # noqa: F401,E402
from .follows.models import DigestItem, Follow, FollowSettings  # noqa: F401,E402
from .plans.models import (ActionPlan, ActionTarget, PlanAction, PlanFigure,  # noqa: F401,E402
                           ProgressNote)
from .surveys.models import (Survey, SurveyAnswer, SurveyCode,  # noqa: F401,E402
                             SurveyParticipation, SurveyQuestion, SurveyResponse)
from .agreements.models import Agreement, ConsentText  # noqa: F401,E402
from .stories.models import Story  # noqa: F401,E402
