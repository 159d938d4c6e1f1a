"""Benchmarks that compare the kiosk's drawing with simpler approaches (not shipped)."""
