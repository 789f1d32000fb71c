"""The bottom layer: frozen data (``model``), definitions, errors, the time budget, the
cache folder and source fingerprints. Nothing here imports another ``derive`` layer.
"""
