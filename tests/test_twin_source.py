"""The code a twin shows is the same in every process: no SymPy dummy numbers
(``lambda d_7991917: …``) whose value depends on what ran before."""

from __future__ import annotations

import re

import pytest

from derive.catalog import get, ids

NUMBERED = re.compile(r"\b[A-Za-z]\w*_\d{4,}\b")


@pytest.mark.parametrize("name", ids())
def test_twin_sources_name_no_process_numbered_dummy(name: str) -> None:
    for twin in get(name).twins:
        assert not NUMBERED.findall(twin.source()), (twin.name, twin.source())
