"""The person's files: where they live (paths), how every write stays whole (durable), settings
(config), the place to resume, the sessions of this run, what the disk refused (rescue), and the
history. No Textual; nothing from routine_files/ (routine files are not the person's state)."""
