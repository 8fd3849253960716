"""The whole schema: importing this module registers every room's tables with SQLModel.

Alembic's environment and the tests read ``SQLModel.metadata`` after importing it, so a table
added to any room is migrated and emptied like the others.
"""

from sqlmodel import SQLModel

import workflow.accountability.models
import workflow.accounts.models
import workflow.organisations.models
import workflow.outbox.models
import workflow.plans.models
import workflow.reporting.models
import workflow.tasks.models  # noqa: F401  (each import registers its tables)

metadata = SQLModel.metadata
