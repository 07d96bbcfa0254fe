-- Every model of the lineage graph (docs/methods.md §9): each listed model, and each parent id
-- no listed model has. Per node: direct parents and children, distinct transitive descendants,
-- whether it is a root, its depth and its roots, and the cycle it is on (if any), all read off
-- the ancestor closure (int_model_lineage_closure).
-- Roots: a model with no parent; and (Decision) for a set of models on a cycle with no way out
-- (a strongly connected set none of whose members has a parent outside it) its smallest id in
-- byte order. A node on a cycle is its own ancestor in the closure; its cycle (strongly
-- connected set) is itself and the ancestors that have it as an ancestor; the cycle has no way
-- out when the node has no other ancestor. Depth: 0 for a root, else the shortest path to the
-- nearest of its roots.
with edges as (
    select child_id, parent_id from {{ ref('int_model_lineage_edges') }}
),

closure as (
    select model_id, ancestor_id, distance from {{ ref('int_model_lineage_closure') }}
),

nodes as (
    select repo_id as model_id, true as is_listed
    from {{ ref('stg_hf_hub__models') }}
    where coalesce(is_listed, true)
    union all
    select distinct parent_id, false
    from {{ ref('int_model_lineage_edges') }}
    where not parent_listed
),

parents as (
    select child_id as model_id, count(*) as n_parents from edges group by child_id
),

children as (
    select parent_id as model_id, count(*) as n_children from edges group by parent_id
),

descendants as (
    select ancestor_id as model_id, count(*) as n_descendants
    from closure
    where model_id <> ancestor_id
    group by ancestor_id
),

ancestors as (
    select model_id, count(*) as n_ancestors from closure group by model_id
),

on_cycle as (
    select model_id from closure where model_id = ancestor_id
),

-- the strongly connected set of a node on a cycle: the ancestors it is also an ancestor of
cycle_members as (
    select c.model_id, c.ancestor_id as member_id
    from closure as c
    inner join closure as back
        on c.ancestor_id = back.model_id and c.model_id = back.ancestor_id
    where c.model_id in (select oc.model_id from on_cycle as oc)
),

cycles as (
    select
        m.model_id,
        min(m.member_id) as cycle_id,
        count(*) as cycle_size,
        count(*) = max(a.n_ancestors) as cycle_without_way_out
    from cycle_members as m
    inner join ancestors as a on m.model_id = a.model_id
    group by m.model_id
),

flagged as (
    select
        n.model_id,
        n.is_listed,
        coalesce(p.n_parents, 0) as n_parents,
        coalesce(ch.n_children, 0) as n_children,
        coalesce(d.n_descendants, 0) as n_descendants,
        cy.cycle_id,
        cy.cycle_size,
        coalesce(cy.cycle_without_way_out, false) as cycle_without_way_out,
        coalesce(p.n_parents is null or (cy.cycle_without_way_out and cy.cycle_id = n.model_id), false) as is_root
    from nodes as n
    left join parents as p on n.model_id = p.model_id
    left join children as ch on n.model_id = ch.model_id
    left join descendants as d on n.model_id = d.model_id
    left join cycles as cy on n.model_id = cy.model_id
),

roots_of as (
    select c.model_id, count(*) as n_roots, min(c.distance) as depth
    from closure as c
    inner join flagged as r on c.ancestor_id = r.model_id and r.is_root
    where c.model_id <> c.ancestor_id
    group by c.model_id
)

select
    f.model_id,
    f.is_listed,
    f.n_parents,
    f.n_children,
    f.n_descendants,
    f.is_root,
    case when f.is_root then 0 else r.depth end as depth,
    case when f.is_root then 1 else r.n_roots end as n_roots,
    f.cycle_id,
    f.cycle_size,
    f.cycle_without_way_out
from flagged as f
left join roots_of as r on f.model_id = r.model_id
