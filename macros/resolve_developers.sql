{#- Author-to-developer resolution (docs/methods.md §3), one definition for commit and
    discussion authors. Selects from `relation` (a ref or a CTE name) its `columns`, then
    raw_author (its column `author`, as the Hub lists it), developer (the canonical id through
    int_identity_map; NULL for a bot, by raw or canonical name in int_bot_accounts, matched
    case-insensitively, for a NULL author and for the names in `nobody`) and is_bot. -#}
{% macro resolve_developers(relation, columns, nobody=[]) %}
select
{%- for column in columns %}
    a.{{ column }},
{%- endfor %}
    a.author as raw_author,
    case
        when
            bot_raw.username is not null
            or bot_canonical.username is not null
{%- for name in nobody %}
            or a.author = '{{ name }}'
{%- endfor %}
            then null
        else coalesce(m.developer, a.author)
    end as developer,
    (bot_raw.username is not null or bot_canonical.username is not null) as is_bot
from {{ relation }} as a
left join {{ ref('int_identity_map') }} as m
    on a.author = m.alias
left join (select distinct lower(username) as username from {{ ref('int_bot_accounts') }}) as bot_raw
    on lower(a.author) = bot_raw.username
left join (select distinct lower(username) as username from {{ ref('int_bot_accounts') }}) as bot_canonical
    on lower(coalesce(m.developer, a.author)) = bot_canonical.username
{% endmacro %}
