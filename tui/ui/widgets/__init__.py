"""The widgets of the main screen, one per file, named for what they show."""
