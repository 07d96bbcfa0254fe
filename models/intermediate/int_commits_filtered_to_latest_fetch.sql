-- Commits of each repo's default branch as its latest successful fetch returned them (the
-- rule in macros/latest_fetch_rows.sql), so commits a force-push removed do not linger.
-- A view, like the staging it filters: a table would copy every commit into the warehouse.
{{ config(materialized='view') }}

{{ latest_fetch_rows(
    ref('stg_hf_hub__commits'),
    'commits',
    ['repo_type', 'repo_id', 'commit_id', 'commit_position', 'committed_at', 'title', 'authors', 'fetched_at']
) }}
