{#- Generic data tests of the RQ3 models (model adoption in spaces). -#}

{#- The column is the dense rank (1, 2, 3 … without gaps, ties sharing a rank) of
    `order_by` descending within each `partition_by` group. -#}
{% test rq3_dense_rank_of(model, column_name, order_by, partition_by) %}
select *
from (
    select
        {{ column_name }} as actual_rank,
        dense_rank() over (partition by {{ partition_by }} order by {{ order_by }} desc) as expected_rank
    from {{ model }}
) as ranked
where actual_rank is distinct from expected_rank
{% endtest %}

{#- Every row has column < other_column (e.g. model_a < model_b: one direction, no self-pairs). -#}
{% test rq3_less_than_column(model, column_name, other_column) %}
select *
from {{ model }}
where not ({{ column_name }} < {{ other_column }}) or {{ column_name }} is null or {{ other_column }} is null
{% endtest %}

{#- Within each `group_by` group the column sums to at most max_value (shares ≤ 1). -#}
{% test rq3_group_sum_at_most(model, column_name, group_by, max_value=1) %}
select {{ group_by }}, sum({{ column_name }}) as total
from {{ model }}
group by {{ group_by }}
having sum({{ column_name }}) > {{ max_value }} + 1e-9
{% endtest %}
