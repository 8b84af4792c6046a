"""Benchmarks that print figures for docs/benchmarks.md; run them with `python -m bench.<name>`."""
