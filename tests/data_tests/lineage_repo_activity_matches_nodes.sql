-- Lineage: repo_activity's lineage columns are the nodes' (models; 0 and depth 0 for a model in no
-- edge), and NULL for datasets and spaces.
-- (The node's repo type is joined as a column: `a.repo_type = 'model'` inside the ON made DuckDB
-- plan a nested loop, every repo against every node, which ran for minutes at today's Hub.)
with model_nodes as (
    select
        'model' as repo_type,
        model_id,
        n_parents,
        n_children,
        n_descendants,
        depth
    from {{ ref('int_model_lineage_nodes') }}
)

select a.repo_type, a.repo_id, a.n_parents, a.n_children, a.n_descendants, a.lineage_depth
from {{ ref('repo_activity') }} as a
left join model_nodes as n
    on a.repo_type = n.repo_type and a.repo_id = n.model_id
where (a.repo_type = 'model' and (
    a.n_parents is distinct from coalesce(n.n_parents, 0)
    or a.n_children is distinct from coalesce(n.n_children, 0)
    or a.n_descendants is distinct from coalesce(n.n_descendants, 0)
    or a.lineage_depth is distinct from coalesce(n.depth, 0)
))
or (a.repo_type <> 'model' and coalesce(a.n_parents, a.n_children, a.n_descendants, a.lineage_depth) is not null)
