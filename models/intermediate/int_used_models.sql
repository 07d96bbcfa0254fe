-- Every model id that at least one space uses, with the organisation behind it
-- (docs/methods.md §5, macros/model_organisations.sql) and whether it is among the listed models.
with model_ids as (
    select distinct model_id
    from {{ ref('int_space_model_pairs_deduplicated') }}
),

organisations as (
    {{ model_organisations('model_ids') }}
),

listed as (
    select repo_id, is_listed
    from {{ ref('stg_hf_hub__models') }}
)

select
    o.model_id,
    o.namespace,
    o.organisation,
    o.organisation_source,
    coalesce(l.is_listed, false) as model_exists
from organisations as o
left join listed as l
    on o.model_id = l.repo_id
