-- The per-repo fetches a crawl run is due to make (extract/plan.py runs this, once per run).
--
-- Parameters:
--   $model_listed_at, $dataset_listed_at, $space_listed_at  when this run's sweep of each type
--       started (the last_listed_at of every row it wrote); NULL for a type the run did not sweep
--   $commits, $discussions  whether the run fetches each resource
--   $ttl_cut  discussions fetched before this are due again, even if the repo did not change
--   $shard_index, $shard_count  the run's shard (1, 1: the whole Hub); only its repos are planned,
--       even should another shard's concurrent sweep have stamped its rows with the same time
--       (hubwh_shard: extract/shard.py)
--
-- A repo this run listed is due for a resource when it was never fetched, its last fetch
-- failed, it changed since (commits: `sha`; discussions: `lastModified`, or the TTL passed),
-- or its fetch was logged ok but its rows did not all load (a killed run).

WITH listed AS (
    SELECT
        'model' AS repo_type,
        repo_id,
        sha,
        last_modified
    FROM raw.models
    WHERE
        last_listed_at = $model_listed_at::TIMESTAMPTZ
        AND ($shard_count::BIGINT = 1 OR hubwh_shard('model', repo_id, $shard_count::BIGINT) = $shard_index::BIGINT)
    UNION ALL
    SELECT
        'dataset' AS repo_type,
        repo_id,
        sha,
        last_modified
    FROM raw.datasets
    WHERE
        last_listed_at = $dataset_listed_at::TIMESTAMPTZ
        AND ($shard_count::BIGINT = 1 OR hubwh_shard('dataset', repo_id, $shard_count::BIGINT) = $shard_index::BIGINT)
    UNION ALL
    SELECT
        'space' AS repo_type,
        repo_id,
        sha,
        last_modified
    FROM raw.spaces
    WHERE
        last_listed_at = $space_listed_at::TIMESTAMPTZ
        AND ($shard_count::BIGINT = 1 OR hubwh_shard('space', repo_id, $shard_count::BIGINT) = $shard_index::BIGINT)
),

resources AS (
    SELECT choice.resource
    FROM (VALUES ('commits', $commits::BOOLEAN), ('discussions', $discussions::BOOLEAN)) AS choice (resource, wanted)
    WHERE choice.wanted
),

-- rows each fetch loaded, told apart by the fetch's fetched_at
loaded AS (
    SELECT
        'commits' AS resource,
        repo_type,
        repo_id,
        fetched_at,
        count(*) AS n_rows
    FROM raw.commits
    WHERE $commits::BOOLEAN
    GROUP BY ALL
    UNION ALL
    SELECT
        'discussions' AS resource,
        repo_type,
        repo_id,
        fetched_at,
        count(*) AS n_rows
    FROM raw.discussions
    WHERE $discussions::BOOLEAN
    GROUP BY ALL
)

SELECT
    r.repo_type,
    r.repo_id,
    res.resource,
    r.sha,
    r.last_modified,
    f.last_ok_at
FROM listed AS r
CROSS JOIN resources AS res
LEFT JOIN raw.fetch_log AS f
    ON r.repo_type = f.repo_type AND r.repo_id = f.repo_id AND res.resource = f.resource
LEFT JOIN loaded AS l
    ON
        res.resource = l.resource
        AND r.repo_type = l.repo_type
        AND r.repo_id = l.repo_id
        AND f.fetched_at = l.fetched_at
WHERE
    f.repo_id IS NULL
    OR f.status = 'error'
    OR (res.resource = 'commits' AND f.sha IS DISTINCT FROM r.sha)
    OR (
        res.resource = 'discussions' AND (
            f.last_modified IS DISTINCT FROM r.last_modified
            OR (f.status = 'ok' AND f.last_ok_at < $ttl_cut::TIMESTAMPTZ)
            OR (f.status <> 'ok' AND f.fetched_at < $ttl_cut::TIMESTAMPTZ)
        )
    )
    OR (f.status = 'ok' AND coalesce(l.n_rows, 0) <> coalesce(f.n_rows, -1))
ORDER BY r.repo_type, r.repo_id, res.resource
