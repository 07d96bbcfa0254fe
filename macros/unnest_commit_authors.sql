{#- One row per (commit row, listed author) of `relation` (a relation of commit rows with an
    `authors` VARCHAR[] column), in the Hub's author order (author_position 0 = first author),
    with n_authors, the length of the commit's list: most commits have one author, and their
    rows need no grouping by commit downstream. Commits with an empty author list (deleted
    users) give no row. `columns`: the commit columns each row keeps. (Two unnests in one
    select list advance together; much faster than indexing a range.) -#}
{% macro unnest_commit_authors(relation, columns) %}
with unnested as (
    select
{%- for column in columns %}
        {{ column }},
{%- endfor %}
        unnest(authors) as author,
        generate_subscripts(authors, 1) - 1 as author_position,
        len(authors) as n_authors
    from {{ relation }}
)

select
{%- for column in columns %}
    {{ column }},
{%- endfor %}
    cast(author_position as integer) as author_position,
    cast(n_authors as integer) as n_authors,
    author
from unnested
{% endmacro %}
