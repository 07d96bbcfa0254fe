-- Model size (docs/methods.md §12), one row per listed model: parameters = safetensors.total
-- (NULL when the model has no safetensors metadata) and its size class
-- (macros/model_size_classes.sql: < 100M, 100M-1B, 1B-10B, 10B-100B, >= 100B, unknown).
-- size_class_rank orders the classes, unknown last.
with classes as (
    {{ model_size_class_ranks() }}
),

sized as (
    select
        repo_id as model_id,
        safetensors_total as parameters,
        {{ model_size_class('safetensors_total') }} as size_class
    from {{ ref('stg_hf_hub__models') }}
    where coalesce(is_listed, true)
)

select
    s.model_id,
    s.parameters,
    s.size_class,
    c.size_class_rank
from sized as s
inner join classes as c on s.size_class = c.size_class
