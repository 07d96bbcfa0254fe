{#- Generic test: the column is the dense rank (1, 2, 3 … without gaps, ties sharing a rank) of
    `order_by` descending within each `partition_by` group (SQL lists, e.g. "subfield, ranking"). -#}
{% test dense_rank_of(model, column_name, order_by, partition_by) %}
select *
from (
    select
        {{ column_name }} as actual_rank,
        dense_rank() over (partition by {{ partition_by }} order by {{ order_by }} desc) as expected_rank
    from {{ model }}
) as ranked
where actual_rank is distinct from expected_rank
{% endtest %}
