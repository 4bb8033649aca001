"""Background work of Pertiwi: solving a week plan takes seconds, so pages queue it."""

from __future__ import annotations

from django_tasks import task

from pandu.outreach.planning import plan_solve


@task()
def plan_solve_task(*, plan_id: int, revision: int) -> str:
    """Solve the plan if ``revision`` is still its current one (see ``planning.plan_solve``)."""

    return plan_solve(plan_id=plan_id, revision=revision)
