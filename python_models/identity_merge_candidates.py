"""Identity-merge candidates (docs/methods.md §3): pairs of raw author names that may be one
person, with their score and why they were proposed. Computed from raw names (the authors of
each repo's latest fetch, and int_bot_accounts), never from resolved ones, so int_identity_map
can depend on it. The logic lives in hubwh.identity (tested there); this model projects its
inputs in DuckDB."""


def model(dbt, session):
    from hubwh.identity import config_flag, identity_candidates

    # (each ref on its own line: dbt finds a Python model's refs by parsing its calls)
    commit_authors = dbt.ref("int_commit_authors_filtered_to_latest_fetch")
    discussions = dbt.ref("int_discussions_filtered_to_latest_fetch")
    bot_accounts = dbt.ref("int_bot_accounts")
    merges_seed = dbt.ref("identity_merges")
    models = dbt.ref("stg_hf_hub__models")
    datasets = dbt.ref("stg_hf_hub__datasets")
    spaces = dbt.ref("stg_hf_hub__spaces")

    started = discussions.filter("author is not null")
    # each (repo, name) once, found by DuckDB, the repo as an integer code: the unnested authors
    # are tens of millions of rows at Hub scale, the distinct pairs a fraction of them
    pairs = "repo_type, repo_id, author as name"
    distinct = commit_authors.project(pairs).union(started.project(pairs)).distinct()
    names = distinct.project("dense_rank() over (order by repo_type, repo_id) as repo, name").df()
    # names the Hub reports as accounts (repo namespaces, discussion authors): preferred canonicals
    accounts = set(started.project("author").distinct().df()["author"])
    for repos in (models, datasets, spaces):
        accounts |= set(repos.filter("namespace is not null").project("namespace").distinct().df()["namespace"])

    return identity_candidates(
        names,
        bot_accounts.project("username").df()["username"].tolist(),
        merges_seed.project("alias, canonical").df(),
        accounts,
        threshold=float(dbt.config.get("identity_similarity_threshold")),
        auto_accept=config_flag(dbt.config.get("auto_accept_identity_candidates")),
        auto_threshold=float(dbt.config.get("auto_accept_identity_threshold")),
    )
