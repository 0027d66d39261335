"""unknot: a keyboard-only terminal coach for back-spasm stretching routines."""

__version__ = "0.1.0"
