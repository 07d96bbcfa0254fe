-- The (space, model) pairs of the spaces sweep, one row per raw row (primary key space_id,
-- model_id); int_space_model_pairs_filtered_to_latest_listing keeps the pairs that still hold.
select
    sm.space_id,
    sm.model_id,
    cast(sm.model_position as integer) as model_position,
    sm.listed_at
from {{ source('hf_hub', 'space_models') }} as sm
