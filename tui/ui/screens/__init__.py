"""Screens pushed over the main screen: help, summary, problems, quit confirm, routine picker."""
