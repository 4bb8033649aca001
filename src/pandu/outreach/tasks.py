"""Background work of Pertiwi: solving a week plan takes seconds, so pages queue it."""

from __future__ import annotations

from django_tasks import task

# Module imports both ways: planning enqueues this task, which calls back into it.
from pandu.outreach import planning


@task()
def plan_solve_task(*, plan_id: int, revision: int) -> str:
    """Solve the plan if ``revision`` is still its current one (see ``planning.plan_solve``)."""

    return planning.plan_solve(plan_id=plan_id, revision=revision)
