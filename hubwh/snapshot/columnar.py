"""The columnar stage of `hubwh snapshot load`: a snapshot file's records turned into raw rows
by DuckDB (read_json over the JSON Lines, fields mapped in SQL), not record by record in Python.

A gzip file is first cut into plain-text chunks at line ends (split_gz), so that its chunks can
be staged side by side: DuckDB reads a gzip stream with one thread, and the commits file alone
was most of a load's time.

The crawler's row functions (extract/hf_hub.py) stay the definition. The SQL here reproduces
them only for the shapes it can check exactly (numbers, text, ISO dates, booleans, lists of
text, null or absent), and says of every other record that it is *odd*: odd records are handed
back to the caller, which runs them through those Python functions (so an odd but valid record
loads the same, and a malformed one raises their own message). A file DuckDB cannot read at all
(bad gzip, bad JSON, a count that disagrees with the manifest) raises `Unreadable`, and the
caller stages that file the Python way, which names the file and the line.

JSON columns are the text `json.dumps(value, ensure_ascii=False)` writes: `"a"` for text,
`["a", "b"]` for lists (DuckDB's `to_json` escapes text as Python's json module does).

Rows carry `_line`, the record's ordinal among the file's non-blank lines (DuckDB skips blank
lines), which `physical_line` turns into the file's line number when a message needs it. A chunk
knows how many records the file has before it (`Chunk.first`), and a chunk's records are numbered
in the order a single-threaded DuckDB reads them, which is the file's order.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from hubwh.snapshot.format import iter_gz_lines

# Plain text per chunk (about: a chunk ends at the first line end past it). Small enough that two
# workers share a file's chunks evenly, large enough that the per-chunk queries cost nothing.
CHUNK_BYTES = 64 << 20
_READ_BYTES = 4 << 20  # compressed bytes read at a time
# a line end followed by a blank line, or by a line that starts with a blank
_BLANK_AFTER_LINE_END = re.compile(rb"\n[\n \t\r\x0b\x0c]")

# The longest line DuckDB reads (DuckDB's default, 16 MB, is below a repo with tens of thousands
# of commits). Its buffers are a few times this per thread, so it must stay far below the
# memory limit; a longer line makes the file Unreadable and it takes the Python path.
MAX_OBJECT_BYTES = 128 << 20
# ISO dates Python's datetime.fromisoformat reads the same way DuckDB's cast does.
ISO_DATE = (
    r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3}|\.[0-9]{6})?(Z|[+-][0-9]{2}:[0-9]{2})?"
)


class Unreadable(Exception):
    """DuckDB could not read the file as JSON Lines the way the Python reader does."""


def physical_line(path: Path, ordinal: int) -> int:
    """The line number of the ordinal-th non-blank line of a gzip JSON Lines file."""
    for n, (lineno, _) in enumerate(iter_gz_lines(path), 1):
        if n == ordinal:
            return lineno
    return ordinal


@dataclass(frozen=True)
class Chunk:
    """A run of whole lines of a snapshot file, as plain JSON Lines text."""

    path: Path
    index: int  # its place in the file, from 0
    first: int  # the file's records before it
    count: int  # its records: non-blank lines, as iter_gz_lines counts them


def _records_in(text: bytes) -> int:
    if not text:
        return 0
    if text[:1].isspace() or _BLANK_AFTER_LINE_END.search(text):  # rare: count line by line
        return sum(1 for line in text.split(b"\n") if line.strip())
    return text.count(b"\n") + (not text.endswith(b"\n"))


def _gz_text(path: Path) -> Iterator[bytes]:
    """The decompressed text of a gzip file, in blocks; Unreadable if it is not whole gzip data."""
    member, fed = zlib.decompressobj(wbits=31), False  # 31: gzip framing
    try:
        with open(path, "rb") as fh:
            while block := fh.read(_READ_BYTES):
                while block:
                    text = member.decompress(block)
                    fed, block = True, b""
                    if member.eof:  # a file may hold several gzip members, one after another
                        block, member, fed = member.unused_data, zlib.decompressobj(wbits=31), False
                    yield text
    except (OSError, zlib.error) as exc:
        raise Unreadable(f"not whole gzip data ({exc})") from None
    if fed and not member.eof:
        raise Unreadable("the gzip data ends early")


def split_gz(path: Path, folder: Path, stem: str, chunk_bytes: int | None = None) -> Iterator[Chunk]:
    """The gzip file's text as chunks of whole lines, each ending at the first line end past
    chunk_bytes (default CHUNK_BYTES), written to `folder/{stem}.{index}.jsonl`; at least one
    chunk, maybe empty. Decompressing releases the GIL, so this runs beside the DuckDB queries. Raises Unreadable
    when the file is not whole gzip data (the Python path then names the line where it stops)."""
    size = chunk_bytes or CHUNK_BYTES
    first, index = 0, 0
    pending = bytearray()

    def chunk(text: bytes) -> Chunk:
        nonlocal first, index
        out = folder / f"{stem}.{index:05d}.jsonl"
        out.write_bytes(text)
        made = Chunk(out, index, first, _records_in(text))
        first, index = first + made.count, index + 1
        return made

    for text in _gz_text(path):
        pending += text
        while len(pending) >= size and (cut := pending.find(b"\n", size - 1) + 1):
            yield chunk(bytes(pending[:cut]))
            del pending[:cut]
    if pending or index == 0:
        yield chunk(bytes(pending))


def _check_count(chunk: Chunk, n: int) -> None:
    # DuckDB and the Python reader must see the same records, or the ordinals would not be lines
    if n != chunk.count:
        raise Unreadable(f"DuckDB reads {n} records in chunk {chunk.index}, the Python reader {chunk.count}")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _typed(chunk: Chunk, columns: dict[str, str]) -> str:
    """The chunk's records, numbered in the file, with only `columns` read (JSON: the field as the
    record has it; absent and null are both NULL); anything that is not such a record stops DuckDB."""
    spec = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
    return (
        f"(SELECT {chunk.first} + row_number() OVER () AS ord, * FROM read_json('{_quoted(chunk.path)}', "
        "format = 'newline_delimited', "
        f"columns = {{{spec}}}, maximum_object_size = {MAX_OBJECT_BYTES}))"
    )


def _texts(con: duckdb.DuckDBPyConnection, chunk: Chunk, ordinals: list[int]) -> list[tuple[int, str]]:
    """The JSON text of the given records of the chunk (by their ordinal in the file), for the
    Python path."""
    if not ordinals:
        return []
    con.execute("CREATE OR REPLACE TEMP TABLE wanted_ordinals (ord BIGINT)")
    con.executemany("INSERT INTO wanted_ordinals VALUES (?)", [[o] for o in ordinals])
    return con.execute(
        f"""SELECT ord, j::VARCHAR FROM (
            SELECT {chunk.first} + row_number() OVER () AS ord, j FROM read_json_objects('{_quoted(chunk.path)}',
                format = 'newline_delimited', maximum_object_size = {MAX_OBJECT_BYTES}) AS t (j))
        WHERE ord IN (SELECT ord FROM wanted_ordinals) ORDER BY ord"""
    ).fetchall()


# -- field rules: (valid, value) SQL over a JSON expression ------------------------------------
def _jt(v: str) -> str:
    return f"coalesce(json_type({v}), 'NULL')"


def _text(v: str) -> tuple[str, str]:
    return f"{_jt(v)} IN ('NULL', 'VARCHAR')", f"json_extract_string({v}, '$')"


def _int(v: str) -> tuple[str, str]:
    # Python's int() of a float truncates; DuckDB's cast would round.
    value = (
        f"CASE json_type({v}) WHEN 'DOUBLE' THEN trunc({v}::DOUBLE)::BIGINT "
        f"WHEN 'BIGINT' THEN {v}::BIGINT WHEN 'UBIGINT' THEN {v}::BIGINT END"
    )
    return f"{_jt(v)} IN ('NULL', 'BIGINT', 'UBIGINT', 'DOUBLE')", value


def _ts(v: str) -> tuple[str, str]:
    s = f"json_extract_string({v}, '$')"
    valid = (
        f"({_jt(v)} = 'NULL' OR (json_type({v}) = 'VARCHAR' AND regexp_full_match({s}, '{ISO_DATE}') "
        f"AND try_cast({s} AS TIMESTAMPTZ) IS NOT NULL))"
    )
    return valid, f"try_cast({s} AS TIMESTAMPTZ)"


def _all_text(v: str) -> str:
    return f"len(list_filter(json_extract({v}, '$[*]'), lambda x: json_type(x) <> 'VARCHAR')) = 0"


def _json_array(items: str) -> str:
    """json.dumps of a list of JSON texts; DuckDB 1.4's array_to_string gives NULL for an empty list."""
    return f"'[' || coalesce(array_to_string({items}, ', '), '') || ']'"


def _list_json(v: str, path: str = "$[*]") -> str:
    """json.dumps of a list of text."""
    return _json_array(f"list_transform(json_extract_string({v}, '{path}'), lambda x: to_json(x)::VARCHAR)")


def _text_list(v: str) -> tuple[str, str]:
    valid = f"({_jt(v)} = 'NULL' OR (json_type({v}) = 'ARRAY' AND {_all_text(v)}))"
    return valid, f"CASE WHEN json_type({v}) = 'ARRAY' THEN {_list_json(v)} END"


def _any_json(v: str) -> tuple[str, str]:
    """A value kept as JSON whatever its shape; exact here for text and lists of text."""
    valid = f"({_jt(v)} IN ('NULL', 'VARCHAR') OR (json_type({v}) = 'ARRAY' AND {_all_text(v)}))"
    value = (
        f"CASE json_type({v}) WHEN 'VARCHAR' THEN to_json(json_extract_string({v}, '$'))::VARCHAR "
        f"WHEN 'ARRAY' THEN {_list_json(v)} END"
    )
    return valid, value


def _gated(v: str) -> tuple[str, str]:
    value = (
        f"CASE json_type({v}) WHEN 'BOOLEAN' THEN CASE WHEN {v}::BOOLEAN THEN 'true' ELSE 'false' END "
        f"WHEN 'VARCHAR' THEN json_extract_string({v}, '$') END"
    )
    return f"{_jt(v)} IN ('NULL', 'BOOLEAN', 'VARCHAR')", value


def _select(fields: list[tuple[str, str, tuple[str, str]]]) -> tuple[str, str]:
    """(value columns, validity conjunction) from (column, _, (valid, value)) triples."""
    cols = ", ".join(f"{value} AS {name}" for name, _, (_, value) in fields)
    valid = " AND ".join(f"({ok})" for _, _, (ok, _) in fields) or "true"
    return cols, valid


# -- repo lists -----------------------------------------------------------------------------
REPO_FIELDS = {
    # raw column -> (record field, rule); the record field's `keep` decides if it is read at all
    "common": [
        ("author", "author", _text),
        ("likes", "likes", _int),
        ("trending_score", "trendingScore", _int),
        ("tags", "tags", _text_list),
        ("created_at", "createdAt", _ts),
        ("last_modified", "lastModified", _ts),
        ("sha", "sha", _text),
        ("gated", "gated", _gated),
    ],
    "downloads": [("downloads", "downloads", _int), ("downloads_all_time", "downloadsAllTime", _int)],
    "model": [("pipeline_tag", "pipeline_tag", _text), ("library_name", "library_name", _text)],
    "space": [("sdk", "sdk", _text)],
}


def stage_repos(
    con: duckdb.DuckDBPyConnection,
    chunk: Chunk,
    repo_type: str,
    keep,
    columns: list[tuple[str, str]],
    constants: dict[str, str],
    out: Path,
    space_models_out: Path | None = None,
) -> list[tuple[int, str]]:
    """Stage one chunk of a repo list file: rows of its raw table (`columns`, (name, DuckDB type)
    pairs, + `_line`; `constants`: SQL for the columns no record field gives, e.g. listing times)
    to `out`, a space's models to `space_models_out`.
    Returns the odd records (ordinal, JSON text) for the Python path. Private repos and repos
    out of the sample (SQL function `in_sample`) are left out, as a crawl's listing leaves them."""
    fields = list(REPO_FIELDS["common"])
    if repo_type in ("model", "dataset"):
        fields += REPO_FIELDS["downloads"]
    if repo_type == "model":
        fields += REPO_FIELDS["model"]
    if repo_type == "space":
        fields += REPO_FIELDS["space"]
    wanted = {name for _, name, _ in fields} | {"cardData", "safetensors", "models"}
    names = ["id", "private", *sorted(n for n in wanted if keep(n))]
    alias = {n: f"f{i}" for i, n in enumerate(names)}

    def field(name: str) -> str:
        return alias.get(name, "NULL::JSON")

    def rule_of(rule, v: str) -> tuple[str, str]:
        return ("true", "NULL") if v == "NULL::JSON" else rule(v)  # a field the listing leaves out

    rules = [(col, name, rule_of(rule, field(name))) for col, name, rule in fields]
    card = field("cardData")
    card_obj = f"json_type({card}) = 'OBJECT'"
    keys = ["license"] + (["base_model", "base_model_relation"] if repo_type == "model" else [])
    for key in keys:
        value = f"CASE WHEN {card_obj} THEN json_extract({card}, '$.\"{key}\"') END"
        rules.append((f"card_{key}", key, rule_of(_any_json, value if card != "NULL::JSON" else card)))
    if repo_type == "model":
        st = field("safetensors")
        total = f"CASE WHEN json_type({st}) = 'OBJECT' THEN json_extract({st}, '$.total') END"
        rules.append(("safetensors_total", "safetensors", rule_of(_int, total if st != "NULL::JSON" else st)))
    models = field("models")
    models_ok = rule_of(
        lambda v: (f"({_jt(v)} = 'NULL' OR (json_type({v}) = 'ARRAY' AND {_all_text(v)}))", ""), models
    )[0]
    values, valid = _select(rules)
    id_ok = "coalesce(json_type(f0) = 'VARCHAR' AND json_extract_string(f0, '$') <> '', false)"
    listed = "coalesce(json_type(f1) = 'BOOLEAN' AND f1::BOOLEAN, false) = false"
    read = ", ".join(f'"{n}" AS {a}' for n, a in alias.items())
    source = _typed(chunk, {n: "JSON" for n in names})
    # Every record is kept here (so the count can be checked); a record without a usable id is
    # odd (the Python path names it) before private or out-of-sample ones are left out.
    staged = f"staged_{repo_type}s"  # one table per file: files are staged concurrently
    sql = f"""CREATE OR REPLACE TABLE {staged} AS
        SELECT ord, json_extract_string(f0, '$') AS repo_id, {values},
            CASE WHEN json_type({models}) = 'ARRAY' THEN json_extract_string({models}, '$[*]') END AS models_list,
            NOT {id_ok} OR ({listed} AND in_sample(json_extract_string(f0, '$'))) AS wanted,
            NOT {id_ok} OR ({valid} AND {models_ok}) IS NOT TRUE AS odd
        FROM (SELECT ord, {read} FROM {source})"""
    try:
        con.execute(sql)
        n = con.execute(f"SELECT count(*) FROM {staged}").fetchone()[0]
    except duckdb.Error as exc:
        raise Unreadable(str(exc).splitlines()[0]) from None
    _check_count(chunk, n)
    con.execute(f"DELETE FROM {staged} WHERE NOT wanted")
    have = {r[0] for r in rules} | {"repo_id"}
    cols = ", ".join(
        f"CAST({name if name in have else constants.get(name, 'NULL')} AS {typ}) AS {name}" for name, typ in columns
    )
    con.execute(f"COPY (SELECT {cols}, ord AS _line FROM {staged} WHERE NOT odd) TO '{out}' (FORMAT parquet)")
    if space_models_out is not None:
        con.execute(
            f"""COPY (
                SELECT repo_id AS space_id, model_id, (min(pos) - 1)::BIGINT AS model_position,
                    CAST({constants.get("listed_at", "NULL")} AS TIMESTAMPTZ) AS listed_at,
                    any_value(ord) AS _line
                FROM (SELECT repo_id, ord, unnest(models_list) AS model_id, generate_subscripts(models_list, 1) AS pos
                      FROM {staged} WHERE NOT odd AND models_list IS NOT NULL)
                GROUP BY repo_id, model_id
            ) TO '{space_models_out}' (FORMAT parquet)"""
        )
    odd = [r[0] for r in con.execute(f"SELECT ord FROM {staged} WHERE odd ORDER BY ord").fetchall()]
    con.execute(f"DROP TABLE {staged}")
    return _texts(con, chunk, odd)


# -- per-repo lists: commits and discussions ----------------------------------------------------
# A commit is read as a struct of its fields (as JSON): a field both absent and null reads NULL,
# so a NULL where the crawler needs the key present is odd (the Python path decides). A
# discussion is read as JSON and its fields extracted, because an absent author (a deleted user)
# is valid and a null one is not: an absent field extracts as NULL, a null one as JSON null.
ITEM_TYPES = {
    "commits": 'STRUCT("id" JSON, "title" JSON, "date" JSON, "authors" STRUCT("user" JSON)[])[]',
    "discussions": "JSON[]",
}


def _required(v: str, rule: tuple[str, str]) -> tuple[str, str]:
    """A field the crawler needs present (NULL: absent, or for a commit's struct also null)."""
    return f"({v} IS NOT NULL AND {rule[0]})", rule[1]


def _commit_rules(it: str) -> list:
    authors = f'{it}."authors"'
    users_ok = f"len(list_filter({authors}, lambda a: coalesce(json_type(a.\"user\"), '') <> 'VARCHAR')) = 0"
    users = f"list_transform({authors}, lambda a: to_json(json_extract_string(a.\"user\", '$'))::VARCHAR)"
    cid = f'{it}."id"'
    return [
        ("commit_id", "", (f"json_type({cid}) = 'VARCHAR'", f"json_extract_string({cid}, '$')")),
        ("title", "", _required(f'{it}."title"', _text(f'{it}."title"'))),
        ("committed_at", "", _required(f'{it}."date"', _ts(f'{it}."date"'))),
        ("authors", "", (f"{authors} IS NOT NULL AND {users_ok}", _json_array(users))),
    ]


def _discussion_rules(it: str) -> list:
    def key(name: str) -> str:
        return f"json_extract({it}, '$.\"{name}\"')"

    author = key("author")
    name = f"json_extract({author}, '$.name')"
    # No author, or an author object without a name, is a deleted user ('deleted', as
    # huggingface_hub says); a null author is malformed: odd.
    author_ok = (
        f"({author} IS NULL OR (json_type({author}) = 'OBJECT' AND coalesce(json_type({name}), 'VARCHAR') = 'VARCHAR'))"
    )
    author_value = f"coalesce(json_extract_string({name}, '$'), 'deleted')"
    num, title, status, pr, created = (key(k) for k in ("num", "title", "status", "isPullRequest", "createdAt"))
    return [
        ("num", "", _required(num, _int(num))),
        ("title", "", _required(title, _text(title))),
        ("status", "", _required(status, _text(status))),
        ("is_pull_request", "", (f"json_type({pr}) = 'BOOLEAN'", f"{pr}::BOOLEAN")),
        ("author", "", (author_ok, author_value)),
        ("created_at", "", _required(created, _ts(created))),
    ]


def stage_items(
    con: duckdb.DuckDBPyConnection,
    chunk: Chunk,
    resource: str,
    repo_types: tuple[str, ...],
    all_repo_types: tuple[str, ...],
    columns: list[tuple[str, str]],
    constants: dict[str, str],
    out: Path,
) -> list[tuple[int, str]]:
    """Stage a chunk of a commits or discussions file: rows (`columns` + `_line`, `constants` as in
    stage_repos) to `out`. A line that is not a per-repo line raises Unreadable (the Python path
    names it); lines with an odd item are returned (ordinal, JSON text) for the Python path, whole."""
    types = ", ".join(f"'{t}'" for t in all_repo_types)
    wanted = ", ".join(f"'{t}'" for t in repo_types)
    source = _typed(chunk, {"repo_type": "JSON", "repo_id": "JSON", resource: ITEM_TYPES[resource]})
    lines, items = f"staged_{resource}_lines", f"staged_{resource}"  # files are staged concurrently
    try:
        con.execute(
            f"""CREATE OR REPLACE TABLE {lines} AS
            SELECT ord, json_extract_string(repo_type, '$') AS repo_type, json_extract_string(repo_id, '$') AS repo_id,
                "{resource}" AS items,
                coalesce("{resource}" IS NOT NULL AND json_type(repo_type) = 'VARCHAR'
                    AND json_extract_string(repo_type, '$') IN ({types}) AND json_type(repo_id) = 'VARCHAR', false)
                    AS line_ok
            FROM {source}"""
        )
        n, bad = con.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT line_ok) FROM {lines}").fetchone()
    except duckdb.Error as exc:
        raise Unreadable(str(exc).splitlines()[0]) from None
    _check_count(chunk, n)
    if bad:
        raise Unreadable("a line that is not a per-repo line")
    rules = (_commit_rules if resource == "commits" else _discussion_rules)("it")
    values, valid = _select(rules)
    key = "commit_id" if resource == "commits" else "num"
    con.execute(
        f"""CREATE OR REPLACE TABLE {items} AS
        SELECT ord, repo_type, repo_id, pos, {values}, ({valid}) IS NOT TRUE AS odd
        FROM (
            SELECT ord, repo_type, repo_id, unnest(items) AS it, generate_subscripts(items, 1) - 1 AS pos
            FROM {lines} WHERE repo_type IN ({wanted}) AND in_sample(repo_id)
        )"""
    )
    con.execute(f"DROP TABLE {lines}")
    odd = [r[0] for r in con.execute(f"SELECT DISTINCT ord FROM {items} WHERE odd ORDER BY ord").fetchall()]
    con.execute("CREATE OR REPLACE TEMP TABLE odd_lines (ord BIGINT)")
    if odd:
        con.executemany("INSERT INTO odd_lines VALUES (?)", [[o] for o in odd])
    source_of = {"commit_position": "pos", **constants}
    select = ", ".join(f"CAST({source_of.get(name, name)} AS {typ}) AS {name}" for name, typ in columns)
    # Each item once per repo, the first kept (extract/fetch.py item_rows). The few repeated keys
    # are found on a narrow projection and the wide rows stream past them: a window over every
    # row needed them all in memory at once (31.3 M commits ran out of a 5 GB limit).
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE repeated_items AS
        SELECT ord, {key} AS item_key, min(pos) AS first_pos FROM {items}
        GROUP BY ord, {key} HAVING count(*) > 1"""
    )
    con.execute(
        f"""COPY (
            SELECT {select}, i.ord AS _line FROM {items} AS i
            LEFT JOIN repeated_items AS r ON r.ord = i.ord AND r.item_key IS NOT DISTINCT FROM i.{key}
            WHERE i.ord NOT IN (SELECT ord FROM odd_lines) AND (r.first_pos IS NULL OR i.pos = r.first_pos)
        ) TO '{out}' (FORMAT parquet)"""
    )
    con.execute(f"DROP TABLE {items}")
    return _texts(con, chunk, odd)
