"""Calculus-and-optimisation derivations, one module each."""
