{#- Generic (model-level) test, named and parameterised as dbt_utils.unique_combination_of_columns:
    no two rows share the values of `combination_of_columns` (NULLs compare equal, as in GROUP
    BY). The columns may be expressions (lower(name)); quote_columns quotes them as identifiers. -#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
{%- set columns = [] %}
{%- for column in combination_of_columns %}
{%- do columns.append(adapter.quote(column) if quote_columns else column) %}
{%- endfor %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
