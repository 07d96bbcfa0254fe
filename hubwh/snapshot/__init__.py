"""The Hub snapshot format (docs/snapshot-format.md): reader and writer."""

from hubwh.snapshot.format import FORMAT, REPO_TYPES, Snapshot, SnapshotWriter

__all__ = ["FORMAT", "REPO_TYPES", "Snapshot", "SnapshotWriter"]
