-- developer_centrality's in/out degrees are the counts of collab_edges without self-loops,
-- and a developer is an isolate exactly when both are 0 (docs/methods.md §4).
with links as (
    select network, source, target from {{ ref('collab_edges') }} where source <> target
),

out_deg as (select network, source as developer, count(*) as n from links group by all),

in_deg as (select network, target as developer, count(*) as n from links group by all)

select
    c.network, c.developer, c.in_degree, c.out_degree, c.degree, c.is_isolate,
    o.n as n_out_edges, i.n as n_in_edges
from {{ ref('developer_centrality') }} as c
left join out_deg as o on c.network = o.network and c.developer = o.developer
left join in_deg as i on c.network = i.network and c.developer = i.developer
where
    c.out_degree <> coalesce(o.n, 0)
    or c.in_degree <> coalesce(i.n, 0)
    or c.degree <> c.in_degree + c.out_degree
    or c.is_isolate <> (c.degree = 0)
