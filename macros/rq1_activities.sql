{#- The RQ1 activity columns of repo_activity and the repo types each applies to
    (docs/methods.md §2: no downloads for spaces; usage spaces for models only). -#}
{% macro rq1_activities() -%}
    {{ return([
        ('n_likes', ['model', 'dataset', 'space']),
        ('n_downloads', ['model', 'dataset']),
        ('n_discussions', ['model', 'dataset', 'space']),
        ('n_disc_starters', ['model', 'dataset', 'space']),
        ('n_commits', ['model', 'dataset', 'space']),
        ('n_committers', ['model', 'dataset', 'space']),
        ('n_community', ['model', 'dataset', 'space']),
        ('n_usage_spaces', ['model']),
    ]) }}
{%- endmacro %}

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
