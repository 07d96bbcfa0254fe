{#- Generic (model-level) test of Lorenz curves, one curve per group: it starts at (0, 0),
    ends at (1, 1), and is convex (slopes between consecutive points never decrease, within
    a relative tolerance); a convex curve through (0,0) and (1,1) is also non-decreasing
    and below the diagonal. -#}
{% test lorenz_curve(model, group_by, x='repo_share', y='activity_share', tolerance=1e-9) %}
with pts as (
    select
        {{ group_by | join(', ') }},
        {{ x }} as x,
        {{ y }} as y,
        lag({{ x }}) over w as x0,
        lag({{ y }}) over w as y0,
        lag({{ x }}, 2) over w as x00,
        lag({{ y }}, 2) over w as y00,
        row_number() over w as pos,
        count(*) over (partition by {{ group_by | join(', ') }}) as n_points
    from {{ model }}
    window w as (partition by {{ group_by | join(', ') }} order by {{ x }}, {{ y }})
)
select * from pts
where (pos = 1 and (x <> 0 or y <> 0))
   or (pos = n_points and (abs(x - 1) > {{ tolerance }} or abs(y - 1) > {{ tolerance }}))
   or (x0 is not null and (x <= x0 or y < y0))
   or (x00 is not null and (y - y0) / (x - x0) < (y0 - y00) / (x0 - x00) - {{ tolerance }} * (1 + abs((y0 - y00) / (x0 - x00))))
{% endtest %}
