{#- Generic (model-level) test: the listed columns are non-decreasing along each row
    (e.g. min <= p25 <= p50 <= p75 <= max). NULLs are skipped pairwise. -#}
{% test ordered_columns(model, columns) %}
select * from {{ model }}
where false
{%- for i in range(columns | length - 1) %}
    or {{ columns[i] }} > {{ columns[i + 1] }}
{%- endfor %}
{% endtest %}
