"""The book's offline search: an index written at build time and a few lines of JavaScript.

>>> from derive.catalog import get
>>> entry = entries([get("eigenvalues-2x2")])[0]
>>> entry["url"], "λ" in entry["symbols"] and "lambda" in entry["symbols"]
('eigenvalues-2x2.html', True)

The index is a script (``assets/search-index.js``) that sets ``window.DERIVE_INDEX``, not a
JSON file: a page opened from disk (``file://``) may not ``fetch`` a file beside it, but it
may load a script. ``assets/book.js`` loads it the first time the reader types into the
search box, and ranks the derivations whose fields contain every word typed: a word of the
title counts most, then a symbol (as written, ``λ``, or by name, ``lambda``), then the rest
of the page's prose. The same script puts a "copy LaTeX" button on every displayed formula.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sympy as sp

from derive.book.pages import TOPIC_TITLES
from derive.numeric.derivation import Derivation


def _spellings(symbol: Any) -> list[str]:
    """How a reader may type a symbol: its name (``lambda``, ``X_c``) and as printed (``λ``)."""
    name = str(symbol)
    shown = sp.pretty(symbol, use_unicode=True)
    plain = name.replace("{", "").replace("}", "")
    spellings = (shown, name, plain)
    usable = (s for s in spellings if s and "__" not in s and not set(s) & set("\n\\()[]"))
    return list(dict.fromkeys(usable))


def entries(derivations: Sequence[Derivation]) -> list[dict[str, Any]]:
    """One search entry per derivation: its title, topic, symbols and prose."""
    out = []
    for d in derivations:
        symbols: list[str] = []
        for var in d.symbols:
            symbols += _spellings(var.symbol)
        for twin in d.twins:
            symbols += [a.name for a in twin.args]
        prose = [d.intuition, d.interview.question, *(s.why for s in d.steps)]
        prose += [v.meaning for v in d.symbols]
        prose += [f"{m.name}. {m.explanation}" for m in d.mistakes]
        out.append(
            {
                "id": d.id,
                "url": f"{d.id}.html",
                "title": d.title,
                "topic": TOPIC_TITLES[d.topic],
                "symbols": list(dict.fromkeys(symbols)),
                "text": " ".join(prose),
            }
        )
    return out


def write(root: Path, derivations: Sequence[Derivation]) -> list[Path]:
    """Write ``assets/search-index.js`` and ``assets/book.js``; return their paths."""
    return write_entries(root, entries(derivations))


def write_entries(root: Path, found: Sequence[Mapping[str, Any]]) -> list[Path]:
    """Write ``assets/search-index.js`` of these entries and ``assets/book.js``."""
    assets = root / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    index = assets / "search-index.js"
    data = json.dumps(list(found), ensure_ascii=False, separators=(",", ":"))
    index.write_text(f"window.DERIVE_INDEX = {data};\n", encoding="utf-8")
    script = assets / "book.js"
    script.write_text(SCRIPT.lstrip(), encoding="utf-8")
    return [index, script]


SCRIPT = r"""
// The derivation book's script: search over assets/search-index.js, and copy-LaTeX buttons.
"use strict";
document.documentElement.classList.add("js");

function fold(text) {  // x̄ → x, xᵢ → xi, Σ → σ: what a reader types matches what is printed
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function loadIndex(done) {
  if (window.DERIVE_INDEX) return done(window.DERIVE_INDEX);
  const script = document.createElement("script");
  script.src = new URL("assets/search-index.js", document.baseURI).href;
  script.onload = () => done(window.DERIVE_INDEX || []);
  document.head.appendChild(script);
}

function rank(index, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const scored = [];
  index.forEach((entry, order) => {
    const title = fold(entry.title);
    const symbols = entry.symbols.map(fold);
    const text = fold(entry.text + " " + entry.topic + " " + entry.id);
    let score = 0;
    for (const word of words) {
      if (new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u")
        .test(title)) score += 10;
      else if (symbols.includes(word)) score += 6;
      else if (title.includes(word)) score += 4;
      else if (symbols.some((s) => s.startsWith(word)) || text.includes(word)) score += 1;
      else return;  // every word must be found somewhere
    }
    scored.push({ entry, score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map((s) => s.entry);
}

function setUpSearch(form) {
  const box = form.querySelector("input[type=search]");
  const list = form.querySelector(".search-results");
  const show = () => loadIndex((index) => {
    const found = rank(index, box.value).slice(0, 12);
    list.replaceChildren(...found.map((entry) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = new URL(entry.url, document.baseURI).href;
      link.textContent = entry.title;
      const topic = document.createElement("span");
      topic.className = "topic";
      topic.textContent = entry.topic;
      item.append(link, " ", topic);
      return item;
    }));
    if (!found.length && box.value.trim()) {
      const item = document.createElement("li");
      item.className = "none";
      item.textContent = "No derivation matches.";
      list.append(item);
    }
    list.hidden = !box.value.trim();
    list.dataset.query = box.value;  // which query the list shows
  });
  box.addEventListener("input", show);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { list.hidden = true; }
    if (event.key === "/" && document.activeElement.tagName !== "INPUT") {
      event.preventDefault();
      box.focus();
    }
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) { box.value = query; show(); }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {  // no clipboard API here (an old browser, or not allowed): select and copy
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (ignored) { done = false; }
    area.remove();
    return done;
  }
}

function setUpCopy(button) {
  const label = button.textContent;
  button.addEventListener("click", async () => {
    const done = await copyText(button.dataset.tex);
    if (!done) window.prompt("Copy the LaTeX:", button.dataset.tex);
    button.textContent = done ? "Copied" : label;
    button.classList.toggle("copied", done);
    setTimeout(() => { button.textContent = label; button.classList.remove("copied"); }, 1500);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.search").forEach(setUpSearch);
  document.querySelectorAll("button.copy-tex").forEach(setUpCopy);
});
"""
