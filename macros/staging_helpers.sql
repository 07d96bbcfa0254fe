{#- SQL helpers of the staging layer (casts of the raw JSON columns). -#}

{#- The namespace of a repo id: text before the first '/', NULL for legacy ids (gpt2). -#}
{% macro repo_namespace(col) -%}
    case when strpos({{ col }}, '/') > 0 then split_part({{ col }}, '/', 1) end
{%- endmacro %}

{#- A JSON array of strings (or its text) as VARCHAR[]; NULL stays NULL. -#}
{% macro json_to_varchar_list(col) -%}
    from_json(cast({{ col }} as json), '["VARCHAR"]')
{%- endmacro %}

{#- A JSON string, or the first element of a JSON array of strings, as VARCHAR. -#}
{% macro json_first_string(col) -%}
    case json_type(cast({{ col }} as json))
        when 'ARRAY' then json_extract_string(cast({{ col }} as json), '$[0]')
        when 'VARCHAR' then json_extract_string(cast({{ col }} as json), '$')
    end
{%- endmacro %}
