"""The one exception type that the command line turns into a single clear line."""


class HubwhError(Exception):
    """A user-facing failure (bad path, unreachable Hub, malformed input...).

    The CLI prints `hubwh COMMAND: <message>` and exits with status 2, no traceback.
    A message about a file that cannot be read or parsed starts with its path, and
    `path:LINE:` for a record of a JSON Lines file.
    """
