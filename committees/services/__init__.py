"""Writes of the committees app, one module per sub-domain; ``gso`` reads the real areas."""
