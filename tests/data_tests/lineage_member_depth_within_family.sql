-- Lineage (docs/methods.md §9): every family member's depth is >= 1 and <= its family's max_depth.
select m.root_id, m.model_id, m.depth, f.max_depth
from {{ ref('model_family_members') }} as m
inner join {{ ref('model_families') }} as f using (root_id)
where m.depth < 1 or m.depth > f.max_depth
