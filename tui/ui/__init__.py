"""The Textual view: the app, the part of it that remembers between runs (persistence), the
command palette, the drivers and key handling, widgets/ and screens/. The only package that
imports Textual; it reads everything below it and nothing imports it but the entry points."""
