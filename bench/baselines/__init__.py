"""Bare Textual apps that every timing is compared with, measured in the same run."""
