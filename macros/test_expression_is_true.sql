{#- Generic test, named and parameterised as dbt_utils.expression_is_true: the SQL `expression`
    holds on every row. Given as a column's test, the expression continues the column
    (`< model_b` reads `model_a < model_b`). A row where it is NULL passes, as in dbt_utils
    (pair it with not_null where NULL is a failure). Rows to skip go in `config: where:`. -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not ({{ column_name ~ " " if column_name is not none }}{{ expression }})
{% endtest %}
