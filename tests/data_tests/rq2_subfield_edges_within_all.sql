-- A sub-field network is built from a subset of the model repos: each of its edges is an
-- edge of the 'all' network with at least the same weight.
select s.network, s.source, s.target, s.weight, a.weight as weight_in_all
from {{ ref('collab_edges') }} as s
left join {{ ref('collab_edges') }} as a
    on a.network = 'all' and s.source = a.source and s.target = a.target
where
    s.network <> 'all'
    and (a.weight is null or a.weight < s.weight)
