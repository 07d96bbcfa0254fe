-- The organisation behind every model id of the lineage graph (listed models and unlisted
-- parents), by the rule of docs/methods.md §5 that int_used_models applies to used models:
-- the namespace mapped through seed `organisations` (kind 'namespace'), a legacy id without
-- namespace looked up whole (kind 'legacy_id'), case ignored; an unmapped namespace stands for
-- itself, and so does an unmapped legacy id.
with ids as (
    select model_id, {{ repo_namespace('model_id') }} as namespace
    from {{ ref('int_model_lineage_nodes') }}
),

org_seed as (
    select kind, lower(name) as name_key, organisation
    from {{ ref('organisations') }}
)

select
    i.model_id,
    i.namespace,
    coalesce(by_namespace.organisation, by_legacy_id.organisation, i.namespace, i.model_id) as organisation
from ids as i
left join org_seed as by_namespace
    on by_namespace.kind = 'namespace' and by_namespace.name_key = lower(i.namespace)
left join org_seed as by_legacy_id
    on by_legacy_id.kind = 'legacy_id' and i.namespace is null and by_legacy_id.name_key = lower(i.model_id)
