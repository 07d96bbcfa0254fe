{#- Staging helpers for the card's lineage fields (docs/methods.md §9). -#}

{#- The strings of a JSON value as VARCHAR[]: a string gives a one-element list, an array its
    string elements (anything else in it is skipped); any other value, and NULL, give NULL. -#}
{% macro json_string_list(col) -%}
    case json_type(cast({{ col }} as json))
        when 'VARCHAR' then [json_extract_string(cast({{ col }} as json), '$')]
        when 'ARRAY' then list_filter(
            list_transform(
                json_extract(cast({{ col }} as json), '$[*]'),
                lambda e: case when json_type(e) = 'VARCHAR' then json_extract_string(e, '$') end
            ),
            lambda x: x is not null
        )
    end
{%- endmacro %}

{#- A JSON string as VARCHAR; any other JSON value, and NULL, give NULL. -#}
{% macro json_string(col) -%}
    case when json_type(cast({{ col }} as json)) = 'VARCHAR' then json_extract_string(cast({{ col }} as json), '$') end
{%- endmacro %}
