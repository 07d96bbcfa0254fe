-- Sub-field membership of model repos (docs/methods.md §4): a model belongs to a sub-field
-- when any of its tags is one of that sub-field's tags (seed subfield_tags).
-- A model can belong to several sub-fields; models in none are absent.
select distinct
    m.repo_id as model_id,
    s.subfield
from {{ ref('stg_hf_hub__models') }} as m,
    unnest(m.tags) as t (tag)
inner join {{ ref('subfield_tags') }} as s
    on t.tag = s.tag
