"""Routine TOML in and out: reading one file (loader), the format's fields, the cache of checked
files, the catalog of every routine in every folder, writing, the template, the JSON Schema and
the watch for changes. catalog -> cache -> loader, never back. No Textual."""
