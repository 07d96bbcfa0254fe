{#- The rows of one per-repo resource ('commits' or 'discussions') that the repo's latest
    successful fetch returned (docs/methods.md §0). Every fetch returns the resource whole with
    one fetched_at, which stg_hf_hub__fetch_log records as last_ok_at; a repo without a
    fetch_log row keeps its newest rows. Rows a force-push or a deletion removed from the Hub
    therefore do not linger. `columns`: the columns of `relation` to keep.
    (The newest fetch per repo is a grouped aggregate joined back, not a window over every
    row: the same rows, in a third of the time at today's Hub, 16.8 M commits.) -#}
{% macro latest_fetch_rows(relation, resource, columns) %}
with newest as (
    select
        repo_type,
        repo_id,
        max(fetched_at) as newest_at
    from {{ relation }}
    group by repo_type, repo_id
),

latest as (
    select
        n.repo_type,
        n.repo_id,
        coalesce(f.last_ok_at, n.newest_at) as latest_ok_at
    from newest as n
    left join {{ ref('stg_hf_hub__fetch_log') }} as f
        on
            n.repo_type = f.repo_type
            and n.repo_id = f.repo_id
            and f.resource = '{{ resource }}'
)

select
{%- for column in columns %}
    r.{{ column }}{{ "," if not loop.last }}
{%- endfor %}
from {{ relation }} as r
inner join latest as l
    on
        r.repo_type = l.repo_type
        and r.repo_id = l.repo_id
        and r.fetched_at = l.latest_ok_at
{% endmacro %}
