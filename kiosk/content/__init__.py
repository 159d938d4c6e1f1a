"""Content: the typed model of content.yaml, its loader and checks. No Qt in this package."""
