"""The record of every session: one TOML file per month, checked on load, summed into stats.

Files live in `data_dir()/history/YYYY-MM.toml` (the month the session started). Recording a
session rewrites only that month's file, atomically. A month file is only ever rewritten when it
loaded without a single problem; otherwise it is first moved aside to `<name>.broken-<time>`,
so nothing a person has is ever overwritten. Each record carries its session's identity, made
when the session started: two sessions are never merged into one record, whatever else ran in
the same second, and a resumed session replaces the record of its own stop.

One module per job, each importing only those above it in this list: records (what a session
leaves), quick_toml (a fast reader for unknot's own month files), month (one month file),
index (every month, through an index in the cache folder), recorder (writing), stats, report
(text and JSON). No Textual here.
"""
