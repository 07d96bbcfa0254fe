{#- repo_activity in long form: one row per (repo, applicable activity), value NULL where
    the activity is missing (statistics then skip it). -#}
{% macro rq1_activity_long() -%}
    {%- for name, types in rq1_activities() %}
    select repo_type, repo_id, '{{ name }}' as activity, cast({{ name }} as bigint) as value
    from {{ ref('repo_activity') }}
    where repo_type in ('{{ types | join("', '") }}')
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
