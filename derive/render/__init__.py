"""Views of a derivation: LaTeX (``tex``), Markdown (``markdown``), terminal text (``text``)
and the JSON data of ``derive show --format json`` (``data``)."""
