-- The bipartite usage network (docs/methods.md §5, §8): one row per (space, model) where
-- the space declares that it uses the model. Models that are not (or no longer)
-- among the listed models are kept, with model_exists = false.
select
    p.space_id,
    p.model_id,
    p.model_position,
    m.namespace,
    m.organisation,
    m.model_exists,
    p.n_models_in_space,
    p.in_co_usage
from {{ ref('int_space_model_pairs_deduplicated') }} as p
inner join {{ ref('int_used_models') }} as m on p.model_id = m.model_id
