-- Discussions and pull requests as each repo's latest successful fetch returned them (the rule
-- in macros/latest_fetch_rows.sql), so discussions that left the Hub do not linger.
-- A view, like the staging it filters: a table would copy every discussion into the warehouse.
{{ config(materialized='view') }}

{{ latest_fetch_rows(
    ref('stg_hf_hub__discussions'),
    'discussions',
    ['repo_type', 'repo_id', 'discussion_num', 'title', 'status', 'is_pull_request', 'author', 'created_at',
     'fetched_at']
) }}
