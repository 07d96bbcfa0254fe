{#- The rows of one per-repo resource ('commits' or 'discussions') that the repo's latest
    successful fetch returned (docs/methods.md §0). Every fetch returns the resource whole with
    one fetched_at, which stg_hf_hub__fetch_log records as last_ok_at; a repo without a
    fetch_log row keeps its newest rows. Rows a force-push or a deletion removed from the Hub
    therefore do not linger. `columns`: the columns of `relation` to keep. -#}
{% macro latest_fetch_rows(relation, resource, columns) %}
with fetched as (
    select
{%- for column in columns %}
        r.{{ column }},
{%- endfor %}
        coalesce(
            f.last_ok_at, max(r.fetched_at) over (partition by r.repo_type, r.repo_id)
        ) as latest_ok_at
    from {{ relation }} as r
    left join {{ ref('stg_hf_hub__fetch_log') }} as f
        on
            r.repo_type = f.repo_type
            and r.repo_id = f.repo_id
            and f.resource = '{{ resource }}'
)

select
{%- for column in columns %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
from fetched
where fetched_at = latest_ok_at
{% endmacro %}
