{#- The RQ1 activity columns of repo_activity and the repo types each applies to, as
    (name, types) pairs: dbt var rq1_activities (dbt_project.yml), the one definition. -#}
{% macro rq1_activities() -%}
    {{ return(var('rq1_activities').items() | list) }}
{%- endmacro %}
