{#- The organisation behind each model id of `model_ids` (a relation or CTE with a column
    model_id), docs/methods.md §5: the namespace (text before the first '/') mapped through the
    seed `organisations` (kind 'namespace'); a legacy id without namespace (gpt2,
    bert-base-uncased) looked up whole (kind 'legacy_id'). Matching ignores case, as Hub
    namespaces do. An unmapped namespace stands for itself, and so does an unmapped legacy id.
    One select: model_id, namespace, organisation, organisation_source. -#}
{% macro model_organisations(model_ids) -%}
    select
        m.model_id,
        {{ repo_namespace('m.model_id') }} as namespace,
        coalesce(
            by_namespace.organisation, by_legacy_id.organisation, {{ repo_namespace('m.model_id') }}, m.model_id
        ) as organisation,
        case
            when by_namespace.organisation is not null or by_legacy_id.organisation is not null then 'seed'
            when {{ repo_namespace('m.model_id') }} is not null then 'namespace'
            else 'model_id'
        end as organisation_source
    from {{ model_ids }} as m
    left join {{ ref('organisations') }} as by_namespace
        on
            by_namespace.kind = 'namespace'
            and lower(by_namespace.name) = lower({{ repo_namespace('m.model_id') }})
    -- (the id compared only when it has no namespace, inside the equality: as a separate
    -- condition on m, DuckDB 1.4 plans this join as a nested loop)
    left join {{ ref('organisations') }} as by_legacy_id
        on
            by_legacy_id.kind = 'legacy_id'
            and lower(by_legacy_id.name) = lower(case when {{ repo_namespace('m.model_id') }} is null then m.model_id end)
{%- endmacro %}
