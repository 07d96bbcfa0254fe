-- Every node of the collaboration networks is a (non-bot) developer of the developers mart
-- with at least one model repo; bots never enter the network.
with nodes as (
    select source as developer from {{ ref('collab_edges') }}
    union
    select target from {{ ref('collab_edges') }}
)

select n.developer
from nodes as n
left join {{ ref('developers') }} as d on n.developer = d.developer
where d.developer is null or d.is_bot or d.n_model_repos = 0
