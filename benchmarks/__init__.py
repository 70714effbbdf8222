"""Benchmarks of the qualifier, run as modules from the repository root."""
