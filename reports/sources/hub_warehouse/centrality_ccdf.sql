-- Figure 4: P(X >= x) of degree per network, over non-isolate developers.
with counts as (
    select network, degree as value, count(*) as n
    from marts.developer_centrality
    where not is_isolate and degree > 0
    group by network, degree
)

select
    network,
    value as degree,
    log10(value) as log10_degree,
    sum(n) over (partition by network order by value desc rows between unbounded preceding and current row)
        / sum(n) over (partition by network) as ccdf
from counts
order by network, value
