-- The 50 developers with the highest degree per network.
select network, developer, degree, in_degree, out_degree, pagerank, core_number
from marts.developer_centrality
where degree > 0
qualify row_number() over (partition by network order by degree desc, pagerank desc, developer) <= 50
