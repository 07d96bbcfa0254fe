-- Ancestor closure of the lineage graph (docs/methods.md §9): one row per (model, ancestor)
-- reachable by following parent edges, with the length of the shortest path. A breadth-first
-- search from every model at once, one level per step of a recursive CTE. The cycle guard is the
-- key: the recursive table is keyed by (model, ancestor) and a step keeps only pairs not found
-- before (recurring.ancestors holds every pair found so far), so each pair is found once, at its
-- shortest distance, and the recursion ends on any graph, cycles included (a model on a cycle
-- becomes its own ancestor, at the length of its shortest cycle, and goes no further).
-- Decision (measured, benchmarks/bench_lineage.py): this CTE rather than a Python model — see the
-- model's description.
-- (DuckDB's `using key` is beyond sqlfluff's parser: the query is not linted past this line)
with recursive ancestors (model_id, ancestor_id, distance) using key (model_id, ancestor_id) as (  -- noqa: PRS
    select child_id, parent_id, 1
    from {{ ref('int_model_lineage_edges') }}
    union
    select a.model_id, e.parent_id, a.distance + 1
    from ancestors as a
    join {{ ref('int_model_lineage_edges') }} as e
        on e.child_id = a.ancestor_id
    left join recurring.ancestors as seen
        on seen.model_id = a.model_id and seen.ancestor_id = e.parent_id
    where seen.model_id is null
)

select model_id, ancestor_id, cast(distance as integer) as distance
from ancestors
