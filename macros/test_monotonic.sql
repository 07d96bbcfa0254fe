{#- Generic test: within each group, the column does not decrease when ordered by
    `order_by` (e.g. a Lorenz curve's activity_share along repo_share). -#}
{% test monotonic(model, column_name, group_by, order_by) %}
with ordered as (
    select
        {{ column_name }} as value,
        lag({{ column_name }}) over (partition by {{ group_by | join(', ') }} order by {{ order_by }}) as previous
    from {{ model }}
)
select * from ordered where value < previous
{% endtest %}
