"""The session, pure: no Textual, no files."""
