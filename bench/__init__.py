"""Benchmarks of Simpatik (not tests). Run `python -m bench --help`; results go to docs/benchmarks.md."""
