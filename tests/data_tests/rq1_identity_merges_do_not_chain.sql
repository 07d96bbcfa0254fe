-- Identity merges map an alias straight to its canonical id: a canonical id is never itself
-- an alias (merges are applied one level).
select m.alias, m.developer
from {{ ref('int_identity_map') }} as m
join {{ ref('int_identity_map') }} as chained
    on chained.alias = m.developer
