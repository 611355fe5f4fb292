"""Core: stdlib only. The request model, the capability table, task states, the error taxonomy."""
