-- Family members (docs/methods.md §9, §8): one row per (root, model) for every model having the
-- root among its roots, the root itself left out (a merge of two families is in both).
-- depth = shortest path from the model to the root. parent_id / relation: the edge the model
-- enters the family by — Decision: among its parents one step closer to the root (the root
-- itself at depth 1), the smallest id in byte order; model_families counts members by it.
with roots as (
    select model_id as root_id from {{ ref('int_model_lineage_nodes') }} where is_root
),

members as materialized (
    select r.root_id, c.model_id, c.distance as depth
    from {{ ref('int_model_lineage_closure') }} as c
    inner join roots as r on c.ancestor_id = r.root_id
    where c.model_id <> c.ancestor_id
),

-- each member's parent edges, before looking up the parents' depths (materialized: joining the
-- members to the depths first, on the root alone, would pair every member of a big family with
-- every other)
steps as materialized (
    select m.root_id, m.model_id, m.depth, e.parent_id, e.relation
    from members as m
    inner join {{ ref('int_model_lineage_edges') }} as e on m.model_id = e.child_id
),

closer as (
    -- (root, model, depth) of the root itself (depth 0) and of its members
    select root_id, root_id as model_id, 0 as depth from roots
    union all
    select root_id, model_id, depth from members
)

select s.root_id, s.model_id, s.depth, s.parent_id, s.relation
from steps as s
inner join closer as c
    on s.root_id = c.root_id and s.parent_id = c.model_id and c.depth = s.depth - 1
qualify row_number() over (partition by s.root_id, s.model_id order by s.parent_id) = 1
