{#- Generic test: lower <= column <= upper, where the bounds are SQL expressions over the
    same row (e.g. n_community between greatest(n_committers, n_disc_starters) and their
    sum). Rows where any term is NULL are not checked. -#}
{% test between_columns(model, column_name, lower, upper) %}
select * from {{ model }}
where {{ column_name }} < ({{ lower }}) or {{ column_name }} > ({{ upper }})
{% endtest %}
