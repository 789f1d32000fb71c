"""The derivation book (``derive book``): a static HTML site, one page per derivation.

``build`` verifies the derivations (in parallel), draws their pictures (``plots``), renders
every formula with KaTeX at build time (``katex``) and writes the pages (``pages``) with the
links between derivations (``links``), the index of common mistakes (``mistakes``) and an
offline search (``search``). See ``derive.book.build`` for an example.
"""
