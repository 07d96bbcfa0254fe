-- Every model id that at least one space uses, with the organisation behind it
-- (docs/methods.md §5) and whether it is among the listed models.
--
-- Organisation: the namespace (text before the first '/') mapped through the seed
-- `organisations` (kind 'namespace'); a legacy id without namespace (gpt2,
-- bert-base-uncased) is looked up whole (kind 'legacy_id'). Matching ignores case,
-- as Hub namespaces do. An unmapped namespace stands for itself, and so does an
-- unmapped legacy id.
with model_ids as (
    select distinct model_id
    from {{ ref('int_space_model_pairs_deduplicated') }}
),

parsed as (
    select
        model_id,
        {{ repo_namespace('model_id') }} as namespace
    from model_ids
),

org_seed as (
    select kind, lower(name) as name_key, organisation
    from {{ ref('organisations') }}
),

listed as (
    select repo_id, is_listed
    from {{ ref('stg_hf_hub__models') }}
)

select
    p.model_id,
    p.namespace,
    coalesce(by_namespace.organisation, by_legacy_id.organisation, p.namespace, p.model_id) as organisation,
    case
        when by_namespace.organisation is not null or by_legacy_id.organisation is not null then 'seed'
        when p.namespace is not null then 'namespace'
        else 'model_id'
    end as organisation_source,
    coalesce(l.is_listed, false) as model_exists
from parsed as p
left join org_seed as by_namespace
    on by_namespace.kind = 'namespace' and by_namespace.name_key = lower(p.namespace)
left join org_seed as by_legacy_id
    on by_legacy_id.kind = 'legacy_id' and p.namespace is null and by_legacy_id.name_key = lower(p.model_id)
left join listed as l
    on p.model_id = l.repo_id
