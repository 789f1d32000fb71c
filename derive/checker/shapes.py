"""Shapes first: infer the shape of every expression and refuse what does not conform.

>>> from derive.checker.parser import parse_chain
>>> from derive.checker.kinds import parse_kind
>>> kinds = {"A": parse_kind("matrix 2 3"), "x": parse_kind("vector 3")}
>>> Shapes(kinds).infer(parse_chain("A x")[0])
(2, 1)
>>> Shapes(kinds).infer(parse_chain("x A")[0])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.checker.errors.InputError: column 3: cannot multiply a 3×1 vector by a 2×3 matrix ...

A scalar is 1×1, and any 1×1 result is a scalar. ``*`` is a matrix product when both sides
are matrices and a scaling otherwise; ``^T`` is a transpose (unless ``T`` is declared);
``^-1`` of a matrix is its inverse.
"""

from __future__ import annotations

from collections.abc import Mapping

from derive.checker.errors import InputError
from derive.checker.kinds import SCALAR, Kind
from derive.checker.limits import LIMITS, Limits
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose, children
from derive.checker.vocabulary import CONSTANTS, FUNCTIONS

Shape = tuple[int, int]
SCALAR_SHAPE: Shape = (1, 1)


def describe(shape: Shape) -> str:
    """``scalar``, ``3×1 vector``, ``1×3 row vector``, ``2×2 matrix``."""
    rows, cols = shape
    if shape == SCALAR_SHAPE:
        return "scalar"
    if cols == 1:
        return f"{rows}×1 vector"
    if rows == 1:
        return f"1×{cols} row vector"
    return f"{rows}×{cols} matrix"


def integer_literal(node: Node) -> int | None:
    """The value of ``3`` or ``-3`` written as a literal, else None."""
    if isinstance(node, Num) and node.text.isdigit():
        return int(node.text)
    if isinstance(node, Neg) and isinstance(node.operand, Num) and node.operand.text.isdigit():
        return -int(node.operand.text)
    return None


def is_transpose_power(node: Bin, kinds: Mapping[str, Kind]) -> bool:
    """Whether ``base^T`` means a transpose: ``T`` is not a declared name."""
    return (
        node.op == "^"
        and isinstance(node.right, Name)
        and node.right.name == "T"
        and ("T" not in kinds)
    )


class Shapes:
    """Shape inference over a syntax tree, given the kinds of the names."""

    def __init__(self, kinds: Mapping[str, Kind], limits: Limits = LIMITS) -> None:
        self.kinds = kinds
        self.limits = limits
        self._inside: list[str] = []  # the E/Var/Cov/Corr/P calls around the current node

    def infer(self, node: Node) -> Shape:
        """The shape of ``node``; an InputError (with its column) if it does not conform."""
        if isinstance(node, Num):
            return SCALAR_SHAPE
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, Neg):
            return self.infer(node.operand)
        if isinstance(node, Transpose):
            rows, cols = self.infer(node.operand)
            return (cols, rows)
        if isinstance(node, Bin):
            return self._binary(node)
        if isinstance(node, Call):
            return self._call(node)
        return self._matrix(node)

    def _name(self, node: Name) -> Shape:
        kind = self.kinds.get(node.name, SCALAR)
        if node.name in FUNCTIONS or kind.name == "function":
            raise InputError(f"{node.name} needs an argument: {node.name}(...)", column=node.column)
        if kind.name == "random" and not self._inside:
            raise InputError(
                f"{node.name} is a random variable: use it inside E[...], Var(...), Cov(...), "
                "Corr(...)",
                column=node.column,
            )
        if kind.name == "event" and (not self._inside or self._inside[-1] != "P"):
            raise InputError(f"{node.name} is an event: use it inside P(...)", column=node.column)
        return kind.shape

    def _binary(self, node: Bin) -> Shape:
        if is_transpose_power(node, self.kinds):
            rows, cols = self.infer(node.left)
            return (cols, rows)
        left, right = self.infer(node.left), self.infer(node.right)
        if node.op in "+-":
            if left != right:
                verb = "add" if node.op == "+" else "subtract"
                raise InputError(
                    f"cannot {verb} a {describe(left)} and a {describe(right)}",
                    column=node.column,
                )
            return left
        if node.op == "*":
            if left == SCALAR_SHAPE:
                return right
            if right == SCALAR_SHAPE:
                return left
            if left[1] != right[0]:
                raise InputError(
                    f"cannot multiply a {describe(left)} by a {describe(right)} "
                    f"(inner sizes {left[1]} and {right[0]} differ)",
                    column=node.column,
                )
            return (left[0], right[1]) if (left[0], right[1]) != SCALAR_SHAPE else SCALAR_SHAPE
        if node.op == "/":
            if right != SCALAR_SHAPE:
                raise InputError(
                    f"cannot divide by a {describe(right)}; multiply by inv(...) instead",
                    column=node.column,
                )
            return left
        # a power
        if right != SCALAR_SHAPE:
            raise InputError(
                f"an exponent must be a scalar, not a {describe(right)}", column=node.column
            )
        if left == SCALAR_SHAPE:
            return left
        if left[0] != left[1]:
            raise InputError(
                f"only a square matrix has powers, not a {describe(left)}", column=node.column
            )
        power = integer_literal(node.right)
        if power is None:
            raise InputError(
                "a matrix power needs an integer exponent written as a number", column=node.column
            )
        if abs(power) > self.limits.max_matrix_power:
            raise InputError(
                f"matrix power {power} too large (at most {self.limits.max_matrix_power})",
                column=node.column,
            )
        return left

    def _call(self, node: Call) -> Shape:
        if node.func in CALLS_V2 or declared_function(node.func, self.kinds):
            return self._call_v2(node)
        spec = FUNCTIONS[node.func]
        count = len(node.args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            wanted = (
                f"{spec.min_args}"
                if spec.min_args == spec.max_args
                else f"{spec.min_args} or more"
                if spec.max_args is None
                else f"{spec.min_args} or {spec.max_args}"
            )
            raise InputError(
                f"{node.func} takes {wanted} argument(s), got {count}", column=node.column
            )
        if node.func in ("eye", "ones", "zeros"):
            return self._constructor(node)
        if node.func == "diff":
            return self._diff(node)
        shapes = [self.infer(a) for a in node.args]
        first = shapes[0]
        if spec.kind == "elementwise":
            if node.func == "log" and count == 2 and SCALAR_SHAPE not in (shapes[1],):
                raise InputError("the base of a logarithm must be a scalar", column=node.column)
            return first
        if node.func in ("det", "tr", "inv"):
            if first[0] != first[1]:
                raise InputError(
                    f"{node.func} needs a square matrix, not a {describe(first)}",
                    column=node.column,
                )
            return SCALAR_SHAPE if node.func != "inv" else first
        if node.func == "transpose":
            return (first[1], first[0])
        if node.func == "norm" and count == 2 and integer_literal(node.args[1]) not in (1, 2):
            raise InputError("norm(v, p) supports p = 1 or 2", column=node.column)
        return SCALAR_SHAPE  # norm, sum

    def _call_v2(self, node: Call) -> Shape:
        """Expectations and probabilities, event operators, declared functions, and the ML
        functions softmax, logsumexp, relu, max, min and mean."""
        func, count = node.func, len(node.args)
        low, high = CALLS_V2.get(func, (1, None))
        if count < low or (high is not None and count > high):
            wanted = (
                f"{low}"
                if low == high
                else f"{low} or more"
                if high is None
                else (f"{low} or {high}")
            )
            raise InputError(f"{func} takes {wanted} argument(s), got {count}", column=node.column)
        if func in ("and", "or", "not") and (not self._inside or self._inside[-1] != "P"):
            raise InputError(
                f"'{func}' of events is only meaningful inside P(...)", column=node.column
            )
        if func in ("E", "Var", "Cov", "Corr", "P"):
            for arg in node.args if func == "P" else ():
                self._event(func, arg)
            self._inside.append(func)
            try:
                shapes = [self.infer(a) for a in node.args]
            finally:
                self._inside.pop()
            if any(s != SCALAR_SHAPE for s in shapes):
                raise InputError(f"{func}(...) takes scalar arguments", column=node.column)
            return SCALAR_SHAPE
        if func in ("and", "or", "not"):
            for arg in node.args:
                self._event(func, arg)
                self.infer(arg)
            return SCALAR_SHAPE
        shapes = [self.infer(a) for a in node.args]
        first = shapes[0]
        if declared_function(func, self.kinds) or func == "relu":
            if count == 1 and (func == "relu" or not func.endswith("'")):
                return first  # entry by entry on a vector or matrix
            if count == 1 and first == SCALAR_SHAPE:
                return first
            if any(s != SCALAR_SHAPE for s in shapes):
                raise InputError(
                    f"{func} takes scalar arguments (one vector or matrix: entry by entry)",
                    column=node.column,
                )
            if func.endswith("'"):
                raise InputError(
                    f"{func} is the derivative of a function of one argument; for a partial "
                    f"derivative write diff({func.rstrip(chr(39))}(...), x)",
                    column=node.column,
                )
            return SCALAR_SHAPE
        if count > 1:
            if any(s != SCALAR_SHAPE for s in shapes) or func == "softmax":
                raise InputError(f"{func} takes one vector or several scalars", column=node.column)
            return SCALAR_SHAPE
        if first[1] != 1 and first[0] != 1:
            raise InputError(f"{func} takes a vector, not a {describe(first)}", column=node.column)
        return first if func == "softmax" else SCALAR_SHAPE

    def _event(self, func: str, arg: Node) -> None:
        """Refuse anything but an event (a name declared ``event``, or and/or/not of them)."""
        if isinstance(arg, Name) and self.kinds.get(arg.name, SCALAR).name == "event":
            return
        if isinstance(arg, Call) and arg.func in ("and", "or", "not"):
            return
        raise InputError(
            f"{func}(...) takes events (names declared 'event', joined by and, or, not)",
            column=arg.column,
        )

    def _constructor(self, node: Call) -> Shape:
        sizes = [integer_literal(a) for a in node.args]
        for size in sizes:
            if size is None or not 1 <= size <= self.limits.max_dimension:
                raise InputError(
                    f"{node.func} needs sizes written as numbers from 1 to "
                    f"{self.limits.max_dimension}",
                    column=node.column,
                )
        rows = sizes[0] or 1
        if node.func == "eye":
            return (rows, rows)
        cols = sizes[1] if len(sizes) > 1 and sizes[1] else 1
        return (rows, cols) if (rows, cols) != SCALAR_SHAPE else SCALAR_SHAPE

    def _diff(self, node: Call) -> Shape:
        shape = self.infer(node.args[0])
        for variable in variables_of(node, self.kinds):
            var_shape = self.kinds.get(variable.name, SCALAR).shape
            if var_shape == SCALAR_SHAPE:
                continue  # entrywise: the shape of f
            if shape == SCALAR_SHAPE:
                shape = var_shape  # the gradient is shaped like the variable
            elif 1 in shape and var_shape[1] == 1:  # a row vector as its column (x.T by x)
                shape = (var_shape[0], max(shape))  # Jacobian, denominator layout
            else:
                raise InputError(
                    f"cannot differentiate a {describe(shape)} by a {describe(var_shape)} "
                    "(only scalars by anything, and vectors by vectors)",
                    column=variable.column,
                )
        return shape

    def _matrix(self, node: MatrixLit) -> Shape:
        rows = len(node.rows)
        cols = len(node.rows[0])
        if any(len(row) != cols for row in node.rows):
            raise InputError("the rows of a matrix must have the same length", column=node.column)
        if rows > self.limits.max_dimension or cols > self.limits.max_dimension:
            raise InputError(
                f"matrix literal too large ({rows}×{cols}; at most "
                f"{self.limits.max_dimension} rows and columns)",
                column=node.column,
            )
        for entry in (e for row in node.rows for e in row):
            if self.infer(entry) != SCALAR_SHAPE:
                raise InputError("matrix entries must be scalars", column=entry.column)
        return (rows, cols) if (rows, cols) != SCALAR_SHAPE else SCALAR_SHAPE


def variables_of(node: Call, kinds: Mapping[str, Kind]) -> list[Name]:
    """The variables of ``diff(f, x, y, 2)``, repeated by counts: ``[x, y, y]``."""
    variables: list[Name] = []
    for arg in node.args[1:]:
        count = integer_literal(arg)
        if count is not None:
            if not variables:
                raise InputError(
                    "diff(f, x, n): the count comes after a variable", column=arg.column
                )
            if not 1 <= count <= 5:
                raise InputError("derivative order must be from 1 to 5", column=arg.column)
            variables.extend([variables[-1]] * (count - 1))
            continue
        if not isinstance(arg, Name) or (arg.name in CONSTANTS and arg.name not in kinds):
            raise InputError("diff(f, x): the variable must be a name", column=arg.column)
        variables.append(arg)
    return variables


# version-2 calls: (fewest, most) arguments (None: any number)
CALLS_V2: Mapping[str, tuple[int, int | None]] = {
    "E": (1, 1),
    "Var": (1, 1),
    "Cov": (2, 2),
    "Corr": (2, 2),
    "P": (1, 2),  # P(A), or P(A | B) as P(A, B)
    "and": (2, None),
    "or": (2, None),
    "not": (1, 1),
    "softmax": (1, 1),
    "logsumexp": (1, None),
    "relu": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "mean": (1, None),
}


def declared_function(func: str, kinds: Mapping[str, Kind]) -> str | None:
    """The declared function ``f`` that ``f``, ``f'`` or ``f''`` calls, else None."""
    base = func.rstrip("'")
    kind = kinds.get(base)
    return base if kind is not None and kind.name == "function" else None


def names_in(node: Node, kinds: Mapping[str, Kind]) -> frozenset[str]:
    """The variables a tree uses: not functions, not the ``T`` of ``A^T``, not the constants
    ``e`` and ``pi`` (unless declared)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Name):
            if current.name not in CONSTANTS or current.name in kinds:
                found.add(current.name)
        elif isinstance(current, Bin) and is_transpose_power(current, kinds):
            stack.append(current.left)
        elif isinstance(current, Call) and declared_function(current.func, kinds):
            found.add(current.func.rstrip("'"))
            stack.extend(current.args)
        else:
            stack.extend(children(current))
    return frozenset(found)
