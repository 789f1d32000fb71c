"""Linear-algebra derivations, one module each."""
