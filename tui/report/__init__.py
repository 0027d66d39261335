"""The report for a clinician: facts from the history, drawn as HTML, Markdown or CSV."""
