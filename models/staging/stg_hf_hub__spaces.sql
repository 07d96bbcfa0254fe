-- Spaces as listed (no downloads on the Hub for spaces), with their SDK.
select
    repo_id,
    {{ repo_namespace('repo_id') }} as namespace,
    coalesce(author, {{ repo_namespace('repo_id') }}) as author,
    cast(likes as bigint) as likes,
    cast(trending_score as double) as trending_score,
    {{ json_to_varchar_list('tags') }} as tags,
    cast(created_at as timestamptz) as created_at,
    cast(last_modified as timestamptz) as last_modified,
    cast(sha as varchar) as sha,
    cast(gated as varchar) as gated,
    {{ json_first_string('card_license') }} as card_license,
    cast(first_listed_at as timestamptz) as first_listed_at,
    cast(last_listed_at as timestamptz) as last_listed_at,
    cast(is_listed as boolean) as is_listed,
    cast(sdk as varchar) as sdk
from {{ source('hf_hub', 'spaces') }}
