"""Derivation documents: Markdown with fenced ``derive`` blocks, checked line by line and
typeset (LaTeX, HTML).

>>> from derive.documents.blocks import parse_block
>>> len(parse_block("x + x\\n= 2x").lines)
2
"""
