{#- The UTC calendar month of a timestamptz, as the date of its first day (docs/methods.md §10).
    timezone('UTC', ...) first: date_trunc on a timestamptz would use the session's time zone. -#}
{% macro utc_month(expr) -%}
cast(date_trunc('month', timezone('UTC', {{ expr }})) as date)
{%- endmacro %}
