{#- Generic test, named and parameterised as dbt_utils.accepted_range (adopting the package is a
    rename): every value of the column lies within [min_value, max_value] (either bound may be
    omitted; `inclusive: false` makes them strict). A bound is SQL over the same row, so it may
    be a literal (0, 1) or an expression (n_a * n_b). NULLs are not checked: a comparison with
    NULL is not false. Rows to skip go in the test's `config: where:`. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select *
from {{ model }}
where
    false
{%- if min_value is not none %}
    or not ({{ column_name }} >{{ "=" if inclusive }} {{ min_value }})
{%- endif %}
{%- if max_value is not none %}
    or not ({{ column_name }} <{{ "=" if inclusive }} {{ max_value }})
{%- endif %}
{% endtest %}
