-- The 20 most used models per sub-field.
select subfield, model_id, organisation, n_spaces, co_usage_degree, co_usage_weight, usage_rank
from marts.model_adoption
where n_spaces > 0
qualify row_number() over (partition by subfield order by n_spaces desc, model_id) <= 20
