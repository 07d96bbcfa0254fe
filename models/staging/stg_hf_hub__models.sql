-- Model repos as listed: renamed, cast, tags unnested into a list, cardData.license
-- reduced to one string (the first element when the card lists several), cardData.base_model
-- as a list of strings and cardData.base_model_relation as a string (docs/methods.md §9).
select
    repo_id,
    {{ repo_namespace('repo_id') }} as namespace,
    coalesce(author, {{ repo_namespace('repo_id') }}) as author,
    cast(likes as bigint) as likes,
    cast(downloads as bigint) as downloads,
    cast(downloads_all_time as bigint) as downloads_all_time,
    cast(trending_score as double) as trending_score,
    {{ json_to_varchar_list('tags') }} as tags,
    cast(pipeline_tag as varchar) as pipeline_tag,
    cast(library_name as varchar) as library_name,
    cast(created_at as timestamptz) as created_at,
    cast(last_modified as timestamptz) as last_modified,
    cast(sha as varchar) as sha,
    cast(gated as varchar) as gated,
    {{ json_first_string('card_license') }} as card_license,
    cast(safetensors_total as bigint) as safetensors_total,
    cast(first_listed_at as timestamptz) as first_listed_at,
    cast(last_listed_at as timestamptz) as last_listed_at,
    cast(is_listed as boolean) as is_listed,
    {{ json_string_list('card_base_model') }} as card_base_models,
    {{ json_string('card_base_model_relation') }} as card_base_model_relation
from {{ source('hf_hub', 'models') }}
