-- developer_centrality's in/out degrees are the counts of collab_edges without self-loops,
-- and a developer is an isolate exactly when both are 0 (docs/methods.md §4).
with links as (
    select network, source, target from {{ ref('collab_edges') }} where source <> target
),
out_deg as (select network, source as developer, count(*) as n from links group by all),
in_deg as (select network, target as developer, count(*) as n from links group by all)
select c.*
from {{ ref('developer_centrality') }} as c
left join out_deg as o on o.network = c.network and o.developer = c.developer
left join in_deg as i on i.network = c.network and i.developer = c.developer
where c.out_degree <> coalesce(o.n, 0)
   or c.in_degree <> coalesce(i.n, 0)
   or c.degree <> c.in_degree + c.out_degree
   or c.is_isolate <> (c.degree = 0)
