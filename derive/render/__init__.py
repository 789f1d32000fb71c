"""Views of a derivation: LaTeX (``tex``), Markdown (``markdown``), terminal text (``text``)
and the JSON data of ``derive show --format json`` (``data``).

>>> from derive.catalog import get
>>> from derive.render import data, markdown, tex, text
>>> d = get("inverse-2x2")
>>> print(markdown.markdown(d).splitlines()[0])
# Inverse of a 2×2 matrix
>>> tex.document(d).startswith(r"\\documentclass"), data.as_dict(d)["id"], "A⁻¹" in text.text(d)
(True, 'inverse-2x2', True)
"""
