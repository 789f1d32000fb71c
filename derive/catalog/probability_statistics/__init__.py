"""Probability-and-statistics derivations, one module each."""
