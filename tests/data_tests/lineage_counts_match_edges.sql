-- Lineage: parents and children per node match the edges, and every model with a parent has a root
-- (a depth >= 1, a root at depth 0).
select 'parents' as what, sum(n_parents) as total, (select count(*) from {{ ref('model_lineage') }}) as edges
from {{ ref('int_model_lineage_nodes') }}
having sum(n_parents) <> (select count(*) from {{ ref('model_lineage') }})
union all
select 'children', sum(n_children), (select count(*) from {{ ref('model_lineage') }})
from {{ ref('int_model_lineage_nodes') }}
having sum(n_children) <> (select count(*) from {{ ref('model_lineage') }})
union all
select 'depth ' || model_id, depth, n_roots
from {{ ref('int_model_lineage_nodes') }}
where (is_root and (depth <> 0 or n_roots <> 1)) or (not is_root and (depth is null or depth < 1 or n_roots < 1))
