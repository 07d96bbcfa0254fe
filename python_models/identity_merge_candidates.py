"""Identity-merge candidates (docs/methods.md §3): pairs of raw author names that may be one
person, with their score and why they were proposed. Computed from raw names (the authors of
each repo's latest fetch, and int_bot_accounts), never from resolved ones, so int_identity_map
can depend on it."""


def _flag(value) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def model(dbt, session):
    import pandas as pd

    from hubwh.identity import auto_merges, mark_accepted, merge_candidates

    threshold = float(dbt.config.get("identity_similarity_threshold"))
    auto_on = _flag(dbt.config.get("auto_accept_identity_candidates"))
    auto_threshold = float(dbt.config.get("auto_accept_identity_threshold"))

    # (each ref on its own line: dbt finds a Python model's refs by parsing its calls)
    commit_authors = dbt.ref("int_commit_authors_filtered_to_latest_fetch")
    discussions = dbt.ref("int_discussions_filtered_to_latest_fetch")
    bot_accounts = dbt.ref("int_bot_accounts")
    merges_seed = dbt.ref("identity_merges")
    models = dbt.ref("stg_hf_hub__models")
    datasets = dbt.ref("stg_hf_hub__datasets")
    spaces = dbt.ref("stg_hf_hub__spaces")

    names = pd.concat(
        [
            commit_authors.project("repo_type || ':' || repo_id as repo, author as name").distinct().df(),
            discussions.filter("author is not null")
            .project("repo_type || ':' || repo_id as repo, author as name")
            .distinct()
            .df(),
        ],
        ignore_index=True,
    )
    bots = bot_accounts.project("username").df()["username"].tolist()
    seed = merges_seed.project("alias, canonical").df()
    # names the Hub reports as accounts (repo namespaces, discussion authors): preferred canonicals
    accounts = set(discussions.filter("author is not null").project("author").df()["author"])
    for repos in (models, datasets, spaces):
        accounts |= set(repos.filter("namespace is not null").project("namespace").distinct().df()["namespace"])

    candidates = merge_candidates(names, threshold, exclude=bots, accounts=accounts)
    auto = auto_merges(candidates, auto_threshold, seed) if auto_on else None
    return mark_accepted(candidates, seed, auto)
