"""What unknot does to the terminal besides drawing, without Textual: cues (bells, the window
title, desktop notices), exits (signals, deadlines, a lost terminal, putting the terminal back),
job control (Ctrl+Z and `fg`) and speech."""
