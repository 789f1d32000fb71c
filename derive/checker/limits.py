"""The bounds every request is held to, so that input is data and never a resource bomb.

>>> LIMITS.max_dimension
8
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Sizes, depths and times a request may not exceed (violations are input errors,
    except time: a request over its budget gets the verdict ``unknown``)."""

    max_steps: int = 40
    max_step_chars: int = 2000
    max_request_chars: int = 20000
    max_names: int = 40
    max_depth: int = 40  # nesting of parentheses, brackets, calls and signs
    max_nodes: int = 1500  # syntax-tree nodes in one step
    max_number_chars: int = 60  # digits of one number literal
    max_exponent: int = 1000  # |k| in x^k, and numerator/denominator of rational exponents
    max_matrix_power: int = 20  # |k| in A^k for a matrix A
    max_result_bits: int = 40000  # exact numbers computed from powers (about 12,000 digits)
    max_dimension: int = 8  # rows or columns of any matrix
    budget: float = 5.0  # seconds of work per request
    catalog_search: float = 1.0  # of which at most this many naming recorded mistakes


LIMITS = Limits()
