"""Benchmarks (README, "Benchmarks"): scripts to run, not tests."""
