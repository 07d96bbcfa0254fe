-- Identity merges map an alias straight to its canonical id: a canonical id is never itself
-- an alias (merges are applied one level).
select m.alias, m.developer
from {{ ref('int_identity_map') }} as m
inner join {{ ref('int_identity_map') }} as chained
    on m.developer = chained.alias
