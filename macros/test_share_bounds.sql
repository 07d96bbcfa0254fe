{#- Generic test: a share lies in [0, 1] (NULLs allowed). -#}
{% test share_bounds(model, column_name) %}
select * from {{ model }} where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}
