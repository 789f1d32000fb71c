"""Hostile input: code injection through every syntax accepted, resource bombs, odd Unicode,
empty input. Each must be answered quickly, as data: an input error or a verdict, with
nothing executed (no sentinel file, no unexpected module, user text never reaching eval)."""

from __future__ import annotations

import builtins
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy.f2py  # noqa: F401  (imported before the spy: it evals code reading its caller's locals)
import pytest

from derive.checker.api import Request, check_data, check_request
from derive.checker.jsonio import results

SENTINEL = "SENTINEL_DERIVE_CHECK"
TOUCH = f"touch {SENTINEL}"

INJECTION = [
    f"__import__('os').system('{TOUCH}')",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__",
    "lambda: 0",
    "lambda x: x",
    f'f\'{{__import__("os").system("{TOUCH}")}}\'',
    f'eval(\'__import__("os").system("{TOUCH}")\')',
    "exec('import antigravity')",
    f"open('{SENTINEL}', 'w')",
    "open('/etc/passwd').read()",
    "getattr(x, '__class__')",
    "import antigravity",
    "os.system",
    f"`{TOUCH}`",
    f"$({TOUCH})",
    f"; {TOUCH}",
    "x; import os",
    "x\x00y",
    "{{7*7}}",
    "${7*7}",
    "#{7*7}",
    "<script>alert(1)</script>",
    "x == x",
    "[x for x in ().__class__.__base__.__subclasses__()]",
    "sympify('x')",
    "diff(__import__('os'), x)",
    "A.T.T.__dict__",
    r"\input{/etc/passwd}",
    r"\include{/etc/passwd}",
    r"\def\x{1}\x",
    r"\newcommand{\x}{1}",
    rf"\immediate\write18{{{TOUCH}}}",
    rf"\write18{{{TOUCH}}}",
    r"\catcode`\@=11",
    r"\csname input\endcsname{/etc/passwd}",
    r"\openin5=/etc/passwd",
    r"\usepackage{shellesc}",
    rf"\ShellEscape{{{TOUCH}}}",
    rf"\directlua{{os.execute('{TOUCH}')}}",
    r"\begin{verbatim}x\end{verbatim}",
    r"\text{\input{/etc/passwd}}",
    r"\mathrm{\input{/etc/passwd}}",
    r"\operatorname{__import__}(x)",
    r"$\input{/etc/passwd}$",
]

BOMBS = [
    "9^9^9^9",
    "x^(10^10)",
    "2^2^2^2^2^2",
    "10^10^10",
    "(x^1000)^1000",
    "x^1000^1000",
    "x^(1/10^9)",
    "exp(exp(exp(exp(100))))",
    "sin(10^(10^5))",
    "(" * 500 + "x" + ")" * 500,
    "-" * 500 + "x",
    "sin(" * 45 + "x" + ")" * 45,
    "{" * 60 + "x" + "}" * 60,
    "[[" + ", ".join(["1"] * 1000) + "]]",
    "[" + ", ".join("[" + ", ".join(["1"] * 9) + "]" for _ in range(9)) + "]",
    "eye(100000)",
    "diff(x, x, 99999)",
    "x" * 100_000,
    "1" * 100_000,
    "x+" * 5000 + "x",
    "1e999999",
    "A^1000000",
    "inv(eye(8))^20",
]

UNICODE = [
    "１ + １ = ２",
    "x\u200f + 1 = 1 + x",
    "x\u200d+1 = 1+x",
    "а + 1 = 1 + a",
    "Α + 1 = 1 + A",
    "\ufeffx = x",
    "x\u0301 = x",
    "😀 = 1",
    "x\u2028 = x",
    "\u202ex = y\u202c",
    "x\ud800 = x",
]

EMPTY = ["", " ", "=", "x =", "= =", "\t\n"]

TEXTS = INJECTION + BOMBS + UNICODE + EMPTY

REQUESTS: list[dict[str, Any]] = [
    *({"id": i, "claim": text} for i, text in enumerate(TEXTS)),
    *({"id": len(TEXTS) + i, "steps": [text, "x"]} for i, text in enumerate(TEXTS)),
]
SPECIAL: list[dict[str, Any]] = [
    {"id": "steps", "steps": ["x"] * 10_000},
    {"id": "no steps", "steps": []},
    {"id": "one step", "steps": ["x"]},
    {"id": "names", "claim": "x = x", "given": {f"x{i}": "scalar" for i in range(1000)}},
    {"id": "size", "claim": "A = A", "given": {"A": "matrix 1000000 1000000"}},
    {"id": "kind", "claim": "x = x", "given": {"x": "__import__('os')"}},
    {"id": "given name", "claim": "x = x", "given": {"__class__": "scalar"}},
    {"id": "function name", "claim": "x = x", "given": {"exp": "scalar"}},
    {"id": "against", "claim": "x = x", "against": "__import__('os')"},
    {"id": "both", "steps": ["x", "x"], "claim": "x = x"},
    {"id": "field", "claim": "x = x", "exec": "import os"},
    {"id": "types", "steps": "x = x"},
    {"id": "numbers", "steps": [1, 2]},
]
ALL = REQUESTS + SPECIAL
MARKERS = (SENTINEL, "__import__", "passwd", "antigravity", "os.system")
GENEROUS = 30.0  # seconds: only to detect hangs (the budget is 5 s per request)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string that reaches eval, exec or compile (SymPy generates some of its own)."""
    seen: list[str] = []
    for name in ("eval", "exec", "compile"):
        real = getattr(builtins, name)

        def wrapper(source: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            if isinstance(source, (str, bytes)):
                seen.append(source if isinstance(source, str) else repr(source))
            return _real(source, *args, **kwargs)

        monkeypatch.setattr(builtins, name, wrapper)
    return seen


@pytest.mark.parametrize("request_data", ALL, ids=lambda r: str(r["id"]))
def test_hostile_input_is_data(
    request_data: dict[str, Any], spy: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    result = check_data(request_data, budget=2.0)
    assert time.monotonic() - start < GENEROUS
    assert result.verdict in ("correct", "incorrect", "unknown")
    if result.error is not None:
        assert "\n" not in result.error
        assert result.verdict == "unknown"
        assert result.pairs == ()
    assert not (tmp_path / SENTINEL).exists()
    assert not [s for s in spy if any(marker in s for marker in MARKERS)]


def test_injection_never_yields_a_verdict_that_ran_code() -> None:
    """Payloads that parse as mathematics are just symbols: `import antigravity` is a
    product of two names."""
    result = check_request(Request(claim="import antigravity = antigravity import"))
    assert result.verdict == "correct"


def test_a_computation_over_budget_is_unknown_not_a_hang() -> None:
    start = time.monotonic()
    result = check_request(Request(claim="exp(exp(exp(exp(x)))) = 1 + x"), budget=1.0)
    assert time.monotonic() - start < GENEROUS
    assert result.verdict in ("unknown", "incorrect")
    assert result.error is None


def test_resource_bombs_are_refused_with_a_reason() -> None:
    refused = {
        text: check_request(Request(steps=(text, "x"))).error
        for text in ("9^9^9^9", "x^(10^10)", "2^2^2^2^2^2", "(x^1000)^1000", "eye(100000)")
    }
    assert all(refused.values()), refused
    assert all("column" in (message or "") for message in refused.values())
    assert "power too large" in (refused["x^(10^10)"] or "")
    assert "from 1 to 8" in (refused["eye(100000)"] or "")


def _json_lines(requests: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in requests).encode()


def test_malformed_json_lines_are_answered_in_order() -> None:
    lines = [
        b'{"id": 1, "claim": "x = x"}\n',
        b"[" * 100_000 + b"\n",
        b'{"id": 3, "claim": "x = x"\n',
        b'\xff\xfe{"id": 4}\n',
        b'{"id": NaN, "claim": "x = x"}\n',
        b'{"id": ' + b"9" * 5000 + b', "claim": "x = x"}\n',
        b'"just a string"\n',
        b'{"id": 8, "claim": "x = x"}\n',
    ]
    answered = list(results(io.BytesIO(b"".join(lines))))
    assert len(answered) == len(lines)
    assert answered[0][0].verdict == "correct"
    assert answered[-1][0].id == 8
    for result, message in answered[1:-1]:
        assert result.error is not None
        assert message is not None
        assert "\n" not in message


def test_a_line_over_the_limit_is_skipped_with_an_error() -> None:
    huge = b'{"id": 1, "claim": "' + b"x+" * 600_000 + b'x"}\n'
    answered = list(results(io.BytesIO(huge + b'{"id": 2, "claim": "x = x"}\n')))
    assert [r.id for r, _ in answered] == [None, 2]
    assert "longer than" in (answered[0][0].error or "")


def test_the_cli_answers_every_hostile_request_without_running_anything(tmp_path: Path) -> None:
    script = (
        "import sys, json\n"
        "from derive.commands.cli import main\n"
        "status = main(['check', '--json', '--budget', '2'])\n"
        "bad = ['antigravity', 'webbrowser', 'this', 'pty', 'ftplib', 'smtplib', 'telnetlib']\n"
        "print(json.dumps([m for m in bad if m in sys.modules]), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        input=_json_lines(ALL),
        capture_output=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 2
    out = completed.stdout.decode().splitlines()
    assert [json.loads(line)["id"] for line in out] == [
        r["id"] if isinstance(r, dict) and "id" in r else None for r in ALL
    ]
    err = completed.stderr.decode().splitlines()
    assert "Traceback" not in completed.stderr.decode()
    assert json.loads(err[-1]) == []
    assert all(line.startswith("derive: error: ") for line in err[:-1])
    assert not (tmp_path / SENTINEL).exists()
