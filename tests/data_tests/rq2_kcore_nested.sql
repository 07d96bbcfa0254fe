-- k-cores are nested: nodes and edges never grow with k; the k = 1 core is exactly the
-- non-isolates (and their edges) of collab_summary; exactly one max-k row per network
-- that has edges.
with ordered as (
    select
        network, k, nodes, edges,
        lag(nodes) over (partition by network order by k) as prev_nodes,
        lag(edges) over (partition by network order by k) as prev_edges
    from {{ ref('collab_kcore') }}
)

select network, k, 'grows' as problem from ordered
where nodes > prev_nodes or edges > prev_edges
union all
select s.network, 1, 'k=1 core is not the non-isolates'
from {{ ref('collab_summary') }} as s
inner join {{ ref('collab_kcore') }} as c on s.network = c.network and c.k = 1
where c.nodes <> s.non_isolates or c.edges <> s.edges
union all
select s.network, null, 'max-k rows'
from {{ ref('collab_summary') }} as s
left join {{ ref('collab_kcore') }} as c on s.network = c.network and c.is_max_k
group by s.network, s.edges
having count(c.k) <> case when s.edges > 0 then 1 else 0 end
