"""Benchmarks: run as ``python -m benchmarks.<area>``; each prints its figures."""
