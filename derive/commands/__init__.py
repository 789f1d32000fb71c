"""One module per CLI command: ``register(subparsers)`` and ``run(args) -> int``.

>>> import argparse
>>> from derive.commands import show
>>> parser = argparse.ArgumentParser(prog="derive")
>>> show.register(parser.add_subparsers())
>>> args = parser.parse_args(["show", "inverse-2x2", "--format", "json"])
>>> args.run is show.run, args.id, args.format
(True, 'inverse-2x2', 'json')

``derive.commands.cli`` registers them all; each imports SymPy only inside ``run``.
"""
