{#- Generic (model-level) test on a long-format matrix (one row per ordered pair): every
    (x, y) has its mirror (y, x) with the same value within `tolerance`, and the diagonal
    is `diagonal` (when given; rows whose value is NULL, e.g. constant columns, are skipped). -#}
{% test symmetric_matrix(model, group_by, x, y, value, diagonal=none, tolerance=1e-9) %}
with m as (select * from {{ model }})
select a.*
from m as a
left join m as b
    on {% for g in group_by %}a.{{ g }} is not distinct from b.{{ g }} and {% endfor %}
       a.{{ x }} = b.{{ y }} and a.{{ y }} = b.{{ x }}
where b.{{ x }} is null
   or abs(a.{{ value }} - b.{{ value }}) > {{ tolerance }}
{%- if diagonal is not none %}
   or (a.{{ x }} = a.{{ y }} and abs(a.{{ value }} - {{ diagonal }}) > {{ tolerance }})
{%- endif %}
{% endtest %}
