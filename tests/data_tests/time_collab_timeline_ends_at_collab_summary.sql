-- docs/methods.md §10: the network as of the last quarter end is built from every commit, so the
-- last row of collab_timeline equals collab_summary for the network 'all' (and the k-core table's
-- k = 1 reciprocity and maximal core).
with last_quarter as (
    select *
    from {{ ref('collab_timeline') }}
    order by quarter_end desc
    limit 1
),

summary as (
    select * from {{ ref('collab_summary') }} where network = 'all'
),

k1 as (
    select reciprocity from {{ ref('collab_kcore') }} where network = 'all' and k = 1
),

kmax as (
    select k, nodes from {{ ref('collab_kcore') }} where network = 'all' and is_max_k
)

select 'counts' as problem
from last_quarter as t
cross join summary as s
where
    t.developers <> s.developers
    or t.isolates <> s.isolates
    or t.non_isolates <> s.non_isolates
    or t.edges <> s.edges
    or abs(t.isolate_share - s.isolate_share) > 1e-9
union all
select 'reciprocity'
from last_quarter as t
cross join k1
where abs(t.reciprocity - k1.reciprocity) > 1e-9
union all
select 'maximal core'
from last_quarter as t
cross join kmax
where t.max_k <> kmax.k or t.max_core_nodes <> kmax.nodes
union all
select 'no last row' from summary as s
where s.developers > 0 and not exists (select 1 from last_quarter)
