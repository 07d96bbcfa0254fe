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

{#- The select list of a repo listing (raw models, datasets, spaces): each named column with its
    one cast, in the order given, so the three repo types cannot drift apart. -#}
{% macro repo_listing_columns(names) -%}
    {%- set casts = {
        'repo_id': 'repo_id',
        'namespace': repo_namespace('repo_id'),
        'author': 'coalesce(author, ' ~ repo_namespace('repo_id') ~ ')',
        'likes': 'cast(likes as bigint)',
        'downloads': 'cast(downloads as bigint)',
        'downloads_all_time': 'cast(downloads_all_time as bigint)',
        'trending_score': 'cast(trending_score as double)',
        'tags': json_to_varchar_list('tags'),
        'pipeline_tag': 'cast(pipeline_tag as varchar)',
        'library_name': 'cast(library_name as varchar)',
        'created_at': 'cast(created_at as timestamptz)',
        'last_modified': 'cast(last_modified as timestamptz)',
        'sha': 'cast(sha as varchar)',
        'gated': 'cast(gated as varchar)',
        'card_license': json_first_string('card_license'),
        'safetensors_total': 'cast(safetensors_total as bigint)',
        'first_listed_at': 'cast(first_listed_at as timestamptz)',
        'last_listed_at': 'cast(last_listed_at as timestamptz)',
        'is_listed': 'cast(is_listed as boolean)',
        'sdk': 'cast(sdk as varchar)',
        'card_base_models': json_string_list('card_base_model'),
        'card_base_model_relation': json_string('card_base_model_relation'),
    } -%}
    {%- for name in names %}
    {{ casts[name] }}{{ " as " ~ name if casts[name] != name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
