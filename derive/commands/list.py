"""``derive list [--topic T] [--json]``: the catalog as a table or JSON, from its entries.

>>> import argparse, contextlib, io, json
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = run(argparse.Namespace(topic="linear-algebra", json=True))
>>> status, json.loads(out.getvalue())[0]["id"]
(0, 'vector-norms')
"""

from __future__ import annotations

import argparse
from typing import Any

from derive.commands.common import print_json, topic_choices


def register(sub: Any) -> None:
    """Add the ``list`` command."""
    p = sub.add_parser(
        "list",
        help="list the derivations in the catalog",
        description="List the derivations in the catalog.",
    )
    p.add_argument("--topic", choices=topic_choices(), help="only this topic")
    p.add_argument("--json", action="store_true", help="a JSON array of {id, title, topic}")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the catalog, from its entries: nothing is built and SymPy is not imported."""
    from derive.catalog import CATALOG

    rows = [
        {"id": e.id, "title": e.title, "topic": e.topic.value}
        for e in CATALOG.values()
        if args.topic is None or e.topic.value == args.topic
    ]
    if args.json:
        print_json(rows)
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} derivations")
    for column in ("id", "topic", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["id"], row["topic"], row["title"])
    Console().print(table)
    return 0
