"""Live-Excel layer (xlwings, imported lazily) and the add-in builder."""
