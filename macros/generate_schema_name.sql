{#- Use the configured schema name as is (staging, intermediate, marts, seeds)
    rather than dbt's default "<target schema>_<custom>", so BI tools find
    marts.repo_activity under a plain name. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
