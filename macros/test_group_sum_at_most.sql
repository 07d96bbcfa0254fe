{#- Generic test: within each `group_by` group (an SQL list) the column sums to at most
    max_value, within 1e-9 (e.g. shares of one whole sum to at most 1). -#}
{% test group_sum_at_most(model, column_name, group_by, max_value=1) %}
select
    {{ group_by }},
    sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by }}
having sum({{ column_name }}) > {{ max_value }} + 1e-9
{% endtest %}
