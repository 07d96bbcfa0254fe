{#- Generic test: no value of the column is negative (NULLs allowed). -#}
{% test non_negative(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0
{% endtest %}
