"""The session, pure: plain data and the rules that work on it. No Textual, no files."""
