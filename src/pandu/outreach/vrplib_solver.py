"""Solve a standard VRPTW instance in VRPLIB format (Solomon) with PyVRP.

This is the benchmark side of the trip planner: the same solver that plans Pertiwi trips,
run on the instances the literature compares against, with the literature's hierarchical
objective (fewest vehicles first, then least distance) and Euclidean distances in full
(double) precision.

Written by hand here, and why:

* PyVRP works on integers. We scale every value by ``SCALE`` (10 000) so that distances
  keep four decimals. The *distance* matrix is rounded to the nearest unit, the *duration*
  matrix is rounded **up**: every schedule the solver accepts is then also feasible with the
  exact, unrounded travel times (arrivals in integers are never earlier than the exact ones).
  The distance we report is recomputed in floating point from the coordinates along the
  routes found, so it is the exact Euclidean length, not the scaled integer one.
* PyVRP minimises one cost. The fleet comes first, so we spend part of the time budget
  (``FLEET_SHARE``) on fleet minimisation, the route-minimisation scheme of PyVRP's own
  ``pyvrp.minimise_fleet`` (and of HGS-style VRPTW solvers): solve until the first feasible
  solution; with ``k`` routes found, cap the fleet at ``k - 1`` vehicles (``num_available``)
  and search again until a feasible solution appears. With the cap, every intermediate
  solution must fit all customers into ``k - 1`` routes; PyVRP penalises the time warp and
  excess load this causes (its penalty manager raises the penalties while few candidates are
  feasible), so the search is driven to a feasible ``(k - 1)``-route solution. Each try is
  short (``TRY_SHARE`` of the budget): a search whose time warp stalls above zero rarely
  recovers, so a failed try is followed by another from a different start and seed, until the
  fleet phase's time is up or the capacity lower bound is reached.
* Each try is warm-started, as classic route-elimination heuristics do: the best ``k``-route
  solution with one route's customers taken out (the smallest route first, then the next
  smallest on each failed try), then put back by PyVRP's local search into the ``k - 1``
  remaining routes (one exhaustive pass under the largest penalties, the call ``pyvrp.solve``
  makes on its own random start). That repair step matters: handed an incomplete start,
  PyVRP's late-acceptance search compares every candidate with it, and the penalised cost of
  an incomplete solution leaves its missing customers out (no distance, no time warp), so it
  is lower than that of any complete candidate: none is ever accepted, and every iteration
  starts again from the same incomplete start. ``pyvrp.minimise_fleet`` starts each attempt
  from scratch instead; the warm start finds the smaller fleets much sooner.
* The rest of the budget minimises distance with the smallest fleet found, warm-started from
  its best solution, with a fixed cost per vehicle larger than any route set's distance, so
  that a solution with fewer routes always wins.
* Time and determinism: ``seconds`` bounds the whole run (reading, every attempt, the distance
  phase). Every search's seed is derived from ``seed`` alone, so the same seed replays the same
  searches; as the phases end on wall-clock time, where they stop (and so the result) can
  depend on the machine's speed and load.

It deliberately does not read the ``.sol`` files or the best-known tables: comparing against
them is the benchmark script's job (``bench/solomon.py``).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyvrp
import vrplib
from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours
from pyvrp.stop import FirstFeasible, MaxRuntime, MultipleCriteria

SCALE = 10_000
#: Share of the time budget spent on taking vehicles away before minimising distance.
FLEET_SHARE = 0.5
#: Longest single try at a fleet one vehicle smaller, as a share of the time budget. A try
#: that stalls (its time warp stuck above zero) is given up for a try from another start.
TRY_SHARE = 0.1


class InstanceError(ValueError):
    """The file is not a VRPLIB instance this solver understands."""


@dataclass(frozen=True)
class VrptwSolution:
    vehicles: int
    distance: float
    routes: list[list[int]]
    feasible: bool
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {"vehicles": self.vehicles, "distance": self.distance, "routes": self.routes}


def _scaled(values: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) * SCALE).astype(np.int64)


def read_instance(path: str | Path) -> tuple[pyvrp.ProblemData, np.ndarray]:
    """The scaled problem data and the unscaled coordinates (one row per location)."""
    path = Path(path)
    if not path.is_file():
        raise InstanceError(f"{path}: no such file")
    try:
        raw = vrplib.read_instance(str(path))
        coords = np.asarray(raw["node_coord"], dtype=float)
        data = pyvrp.read(str(path), round_func=_scaled)
    except InstanceError:
        raise
    except Exception as exc:  # vrplib and pyvrp raise many kinds for malformed files
        raise InstanceError(f"{path}: not a readable VRPLIB instance ({exc})") from exc
    if data.num_depots != 1 or data.num_clients == 0:
        raise InstanceError(f"{path}: expected one depot and at least one customer")
    if coords.shape != (data.num_locations, 2):
        raise InstanceError(f"{path}: expected 2-D coordinates for every node")
    exact = np.hypot(*(coords[:, None, :] - coords[None, :, :]).transpose(2, 0, 1))
    duration = np.ceil(exact * SCALE).astype(np.int64)
    distance = np.round(exact * SCALE).astype(np.int64)
    data = data.replace(distance_matrices=[distance], duration_matrices=[duration])
    return data, coords


def route_length(coords: np.ndarray, route: list[int]) -> float:
    """Exact Euclidean length of depot (location 0) -> route -> depot."""
    stops = [0, *route, 0]
    return float(
        sum(math.dist(coords[a], coords[b]) for a, b in zip(stops, stops[1:], strict=False))
    )


def _capacity_bound(data: pyvrp.ProblemData) -> int:
    vehicle_type = data.vehicle_type(0)
    bound = 1
    for dim in range(data.num_load_dimensions):
        demand = sum(c.delivery[dim] for c in data.clients())
        bound = max(bound, math.ceil(demand / max(vehicle_type.capacity[dim], 1)))
    return bound


def _without_route(data: pyvrp.ProblemData, solution: pyvrp.Solution, n: int) -> pyvrp.Solution:
    """The solution without its ``n``-th smallest route (cyclically): incomplete, that route's
    customers unplanned."""
    routes = [[a.idx for a in r if a.is_client()] for r in solution.routes()]
    routes.sort(key=len)
    del routes[n % len(routes)]
    return pyvrp.Solution(data, routes)


def _completed(data: pyvrp.ProblemData, solution: pyvrp.Solution, seed: int) -> pyvrp.Solution:
    """Unplanned customers put back into the routes by PyVRP's local search.

    One exhaustive local search pass under the maximum penalties, as ``pyvrp.solve`` does
    with its random start. The result is complete (possibly infeasible), so the
    search that starts from it can accept better candidates.
    """
    if solution.is_complete():
        return solution
    params = pyvrp.SolveParams()
    rng = pyvrp.RandomNumberGenerator(seed=seed)
    neighbours = compute_neighbours(data, params.neighbourhood)
    search = LocalSearch(data, rng, neighbours, PerturbationManager(params.perturbation))
    for op in params.operators:
        if op.supports(data):
            search.add_operator(op(data))
    penalties = pyvrp.PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    return search(solution, penalties.max_cost_evaluator(), exhaustive=True)


def _solve(
    data: pyvrp.ProblemData,
    stop: MultipleCriteria | MaxRuntime | FirstFeasible,
    seed: int,
    initial: pyvrp.Solution | None = None,
) -> pyvrp.Result:
    return pyvrp.solve(
        data,
        stop=stop,
        seed=seed,
        collect_stats=False,
        display=False,
        initial_solution=initial,
    )


def solve_file(path: str | Path, *, seconds: float = 30.0, seed: int = 1) -> VrptwSolution:
    """Fewest vehicles, then least exact Euclidean distance, within ``seconds`` of search."""
    with warnings.catch_warnings():
        # PyVRP warns when a fleet is too small to be feasible: here that is the point.
        warnings.simplefilter("ignore")
        return _solve_file(path, seconds=seconds, seed=seed)


def _solve_file(path: str | Path, *, seconds: float, seed: int) -> VrptwSolution:
    started = time.perf_counter()
    data, coords = read_instance(path)
    vehicle_type = data.vehicle_type(0)
    # Larger than the distance of any solution: every client served by its own route.
    fixed_cost = int(2 * data.distance_matrix(0)[0].sum() + 2 * data.distance_matrix(0)[:, 0].sum())
    fleet_deadline = started + seconds * FLEET_SHARE
    deadline = started + seconds

    def with_fleet(k: int) -> pyvrp.ProblemData:
        return data.replace(
            vehicle_types=[vehicle_type.replace(num_available=k, fixed_cost=fixed_cost)]
        )

    # Fleet minimisation: a first feasible solution (it may take the whole budget), then
    # tries with one vehicle fewer than the best found, each a short search from a new start.
    stop = MultipleCriteria([FirstFeasible(), MaxRuntime(max(deadline - time.perf_counter(), 0))])
    res = _solve(with_fleet(data.num_vehicles), stop, seed)
    best = res.best if res.best.is_feasible() else None
    lower_bound = _capacity_bound(data)
    tries = 0  # failed tries at the current fleet size
    while best is not None and best.num_routes() > lower_bound:
        remaining = fleet_deadline - time.perf_counter()
        if remaining <= 0:
            break
        k = best.num_routes() - 1
        initial = _completed(
            with_fleet(k), _without_route(with_fleet(k), best, tries), seed + tries
        )
        stop = MultipleCriteria([FirstFeasible(), MaxRuntime(min(remaining, seconds * TRY_SHARE))])
        res = _solve(with_fleet(k), stop, seed + tries, initial)
        if res.best.is_feasible():
            best, tries = res.best, 0
        else:
            tries += 1
    best_k = best.num_routes() if best is not None else data.num_vehicles

    if best is not None:
        # Distance with the smallest fleet found; the fixed cost keeps fewer routes preferred.
        remaining = max(deadline - time.perf_counter(), 0.0)
        start = pyvrp.Solution(
            with_fleet(best_k), [[a.idx for a in r if a.is_client()] for r in best.routes()]
        )
        res = _solve(with_fleet(best_k), MaxRuntime(remaining), seed, start)
        if res.best.is_feasible() and res.best.num_routes() <= best_k:
            best = res.best
    solution = best if best is not None else res.best

    routes = [
        [data.client(a.idx).location for a in route if a.is_client()] for route in solution.routes()
    ]
    return VrptwSolution(
        vehicles=len(routes),
        distance=sum(route_length(coords, r) for r in routes),
        routes=routes,
        feasible=solution.is_feasible(),
        seconds=time.perf_counter() - started,
    )
