-- The organisation behind every model id of the lineage graph (listed models and unlisted
-- parents), by the one rule of docs/methods.md §5 (macros/model_organisations.sql) that
-- int_used_models applies to used models.
with ids as (
    select model_id
    from {{ ref('int_model_lineage_nodes') }}
)

{{ model_organisations('ids') }}
