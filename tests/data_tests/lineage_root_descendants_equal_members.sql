-- Lineage (docs/methods.md §9): a family's size equals its member count and its root's own
-- n_descendants, and every family's root is a root.
with members as (
    select root_id, count(*) as n_members from {{ ref('model_family_members') }} group by root_id
)

select f.root_id, f.n_descendants, m.n_members, n.n_descendants as node_descendants, n.is_root
from {{ ref('model_families') }} as f
left join members as m using (root_id)
left join {{ ref('int_model_lineage_nodes') }} as n on f.root_id = n.model_id
where
    f.n_descendants is distinct from m.n_members
    or f.n_descendants is distinct from n.n_descendants
    or not n.is_root
