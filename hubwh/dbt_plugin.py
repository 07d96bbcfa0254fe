"""A dbt-duckdb plugin (profiles.yml `plugins:`) giving dbt's connections what hubwh gives its own,
whoever runs dbt (`hubwh build` or `dbt build`):
- the extensions' configuration (hubwh.lake.extension_config: the duckdb-ext-* packages' folder,
  automatic install and load off), set before dbt-duckdb connects and loads extensions;
- the profile's memory_limit as a size: DuckDB 1.4 takes no share such as the default `50%`, so a
  share becomes a size of the machine's memory (hubwh.duckdb_settings.absolute_memory) before
  dbt-duckdb applies the settings;
- the temp directory set once, when the database is opened, not on every cursor: dbt-duckdb SETs
  each setting on each new cursor, and once DuckDB has spilled to its temp directory it refuses
  to set it again, even to the same folder ("Cannot switch temporary directory after the current
  one has been used"), which failed a build of today's Hub midway."""

from __future__ import annotations

from dbt.adapters.duckdb.plugins import BasePlugin

from hubwh.duckdb_settings import absolute_memory
from hubwh.lake import extension_config


class Plugin(BasePlugin):
    def update_connection_config(self, creds, config) -> None:
        config.update(extension_config())
        settings = creds.settings or {}
        value = str(settings.get("memory_limit", "")).strip()
        if value.endswith("%"):
            settings["memory_limit"] = absolute_memory(value)
        # (dbt-duckdb opens the database again after every moment no node holds it: keep the folder)
        if "temp_directory" in settings:
            self.temp_directory = settings.pop("temp_directory")
        if getattr(self, "temp_directory", None):
            config["temp_directory"] = str(self.temp_directory)
