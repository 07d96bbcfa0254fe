"""The one exception type that the command line turns into a single clear line."""


class HubwhError(Exception):
    """A user-facing failure (bad path, unreachable Hub, malformed input...).

    The CLI prints `hubwh: <message>` and exits with status 2, no traceback.
    """
