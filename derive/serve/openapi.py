"""The service described in OpenAPI 3.1 (``GET /openapi.json``), written by hand from the
checker's JSON contract (docs/checker.md).

>>> sorted(SPEC["paths"])
['/catalog', '/check', '/check/batch', '/health', '/openapi.json']
"""

from __future__ import annotations

from typing import Any

from derive import __version__

_ERROR = {"$ref": "#/components/schemas/Result"}


def _answer(description: str, schema: Any = _ERROR, media: str = "application/json") -> Any:
    return {"description": description, "content": {media: {"schema": schema}}}


_ERRORS = {
    "400": _answer("a malformed body (not JSON, or not a request): `error` says what and where"),
    "413": _answer("a body over the size limit"),
    "429": _answer("over the per-client rate limit (see Retry-After)"),
    "503": _answer("every worker busy and the queue full (see Retry-After)"),
}

REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "description": "Give either `steps` or `claim`.",
    "properties": {
        "id": {"description": "any JSON value, echoed in the result"},
        "steps": {"type": "array", "items": {"type": "string"}},
        "claim": {"type": "string", "examples": ["diff(x^2, x) = 2*x"]},
        "given": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "examples": [{"A": "matrix 2 2", "x": "vector 2"}],
        },
        "against": {"type": "string", "description": "a catalog id (GET /catalog)"},
        "tolerance": {
            "type": "object",
            "description": '{"digits": k} (1 to 30) or {"relative": r} (0 < r < 1)',
        },
    },
}

PAIR = {
    "type": "object",
    "properties": {
        "from": {"type": "integer"},
        "to": {"type": "integer"},
        "relation": {"type": ["string", "null"]},
        "verdict": {
            "enum": ["proven", "numeric", "refuted", "unknown", "given", "defined"],
        },
        "counterexample": {"type": ["object", "null"]},
        "diagnosis": {"type": ["string", "null"]},
        "note": {"type": ["string", "null"]},
    },
}

RESULT = {
    "type": "object",
    "properties": {
        "id": {},
        "verdict": {"enum": ["correct", "incorrect", "unknown"]},
        "first_error": {"type": ["integer", "null"]},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "pairs": {"type": "array", "items": {"$ref": "#/components/schemas/Pair"}},
        "read": {"type": "array", "items": {"type": "string"}},
        "assumed": {"type": "array", "items": {"type": "string"}},
        "error": {
            "type": ["string", "null"],
            "description": "set when the request could not be checked; 'deadline: ...' when "
            "the hard deadline stopped it, 'internal error: ...' for the checker's own failure",
        },
    },
    "required": ["id", "verdict", "first_error", "score", "pairs", "read", "assumed", "error"],
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "derive checker",
        "version": __version__,
        "description": "Checks a learner's working step by step (the JSON contract of "
        "`derive check --json`). Stateless: every request is checked on its own.",
    },
    "paths": {
        "/check": {
            "post": {
                "summary": "Check one request",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Request"}}
                    },
                },
                "responses": {
                    "200": _answer("the result (a learner's unreadable step is a result too)"),
                    **_ERRORS,
                    "500": _answer("the checker failed on this request (`internal error: ...`)"),
                    "504": _answer("the hard deadline stopped the checking (`deadline: ...`)"),
                },
            }
        },
        "/check/batch": {
            "post": {
                "summary": "Check JSON Lines: one result line per request line, in order, "
                "streamed as each is ready",
                "requestBody": {
                    "required": True,
                    "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
                },
                "responses": {
                    "200": _answer(
                        "one Result per line", {"type": "string"}, "application/x-ndjson"
                    ),
                    **{k: v for k, v in _ERRORS.items() if k != "400"},
                },
            }
        },
        "/health": {
            "get": {
                "summary": "Workers (pids, busy), queue and replacements",
                "responses": {
                    "200": _answer("serving", {"type": "object"}),
                    "503": _answer("no worker ready", {"type": "object"}),
                },
            }
        },
        "/catalog": {
            "get": {
                "summary": "The catalog's derivations (ids for `against`)",
                "responses": {"200": _answer("id, title and topic of each", {"type": "array"})},
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This description",
                "responses": {"200": _answer("OpenAPI 3.1", {"type": "object"})},
            }
        },
    },
    "components": {"schemas": {"Request": REQUEST, "Result": RESULT, "Pair": PAIR}},
}
