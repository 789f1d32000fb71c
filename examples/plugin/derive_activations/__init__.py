"""An example plug-in catalog for derive: two derivations, found through an entry point.

Only the module names live here, so that ``derive list`` reads the entries without importing
SymPy; each module declares its ``ENTRY`` and ``build()`` as the built-in catalog's do.
"""

MODULES = (
    "derive_activations.tanh_derivative",
    "derive_activations.softplus_derivative",
)
