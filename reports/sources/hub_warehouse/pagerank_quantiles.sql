-- Figure 4: PageRank distribution per network (non-isolates) as quantiles.
select
    network,
    count(*) as developers,
    min(pagerank) as min,
    quantile_cont(pagerank, 0.25) as p25,
    quantile_cont(pagerank, 0.5) as median,
    quantile_cont(pagerank, 0.75) as p75,
    quantile_cont(pagerank, 0.99) as p99,
    max(pagerank) as max
from marts.developer_centrality
where not is_isolate
group by network
