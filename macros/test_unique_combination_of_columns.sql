{#- Generic (model-level) test, named and parameterised as dbt_utils.unique_combination_of_columns:
    no two rows share the values of `combination_of_columns` (NULLs compare equal, as in GROUP
    BY). The columns may be expressions (lower(name)); quote_columns quotes them as identifiers.
    In two steps, for tables of tens of millions of rows: the rows' hashes are grouped first (one
    integer key instead of several strings), and only rows whose hash repeats are grouped by
    their values; equal values have equal hashes, so nothing is missed, and a hash collision of
    unequal values is dropped by the second step. (When no hash repeats, the second scan has
    nothing to probe.) -#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false) %}
{%- set columns = [] %}
{%- for column in combination_of_columns %}
{%- do columns.append(adapter.quote(column) if quote_columns else column) %}
{%- endfor %}
with repeated_hashes as (
    select hash({{ columns | join(', ') }}) as row_hash
    from {{ model }}
    group by row_hash
    having count(*) > 1
)

select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
where hash({{ columns | join(', ') }}) in (select r.row_hash from repeated_hashes as r)
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
