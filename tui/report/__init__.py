"""The report for a clinician: facts from the history, drawn as HTML, Markdown or CSV.

A layer of its own beside ui/, just below the entry points: it reads store/history/ and core/,
and only the command line may import it. No Textual."""
