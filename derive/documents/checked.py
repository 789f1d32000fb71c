"""A document checked block by block.

>>> from derive.documents.reader import read_document
>>> checked = check_document(read_document("Text.\\n```derive\\nx + x\\n= 2x\\n```\\n"))
>>> checked.status, checked.counts["proven"], checked.summary
(0, 1, '1 block: correct (1 proven)')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from derive.documents.blocks import Block, CheckedBlock, CheckedLine, check_block
from derive.documents.reader import Document, Prose

ORDER = ("proven", "numeric", "refuted", "unknown", "given", "defined")


@dataclass(frozen=True)
class CheckedDocument:
    """A document and each of its blocks checked, in order."""

    document: Document
    blocks: tuple[CheckedBlock, ...]

    @property
    def parts(self) -> tuple[Prose | CheckedBlock, ...]:
        """The prose and the checked blocks, in the document's order."""
        checked = iter(self.blocks)
        return tuple(p if isinstance(p, Prose) else next(checked) for p in self.document.parts)

    @property
    def status(self) -> int:
        """As ``derive check``: 0 every block correct, 1 some line wrong or undecided, 3 an
        internal error."""
        return max((b.status for b in self.blocks), default=0)

    @property
    def lines(self) -> tuple[CheckedLine, ...]:
        return tuple(line for block in self.blocks for line in block.lines)

    @property
    def counts(self) -> Counter[str]:
        """How many lines have each verdict."""
        return Counter(line.verdict for line in self.lines if line.verdict)

    @property
    def verdict(self) -> str:
        """``correct`` when every block is, else ``incorrect`` or ``unknown``."""
        verdicts = {b.verdict for b in self.blocks}
        return next((v for v in ("incorrect", "unknown") if v in verdicts), "correct")

    @property
    def refuted(self) -> tuple[CheckedLine, ...]:
        return tuple(line for line in self.lines if line.verdict == "refuted")

    @property
    def summary(self) -> str:
        """One line: the blocks, the verdict, the count of each mark, the refuted lines."""
        n = len(self.blocks)
        counts = self.counts
        shown = ", ".join(f"{counts[k]} {k}" for k in ORDER if counts[k])
        text = f"{n} block{'s' if n != 1 else ''}: {self.verdict} ({shown})"
        if self.refuted:
            numbers = ", ".join(str(line.line.number) for line in self.refuted)
            text += f"; refuted: line{'s' if len(self.refuted) > 1 else ''} {numbers}"
        return text


# seconds per block when none is given: a document is checked as a batch (a book, a PDF), not
# at a prompt, so a busy machine should not turn a long block's proof into "unknown"; steps
# that end numeric do not wait for it
DOCUMENT_BUDGET = 30.0


def check_document(
    document: Document, *, budget: float | None = None, catalog: bool = True
) -> CheckedDocument:
    """Check every block of ``document`` (with its front matter's declarations), each within
    ``budget`` seconds (:data:`DOCUMENT_BUDGET` by default); ``catalog=False`` skips naming
    recorded catalog mistakes."""
    seconds = DOCUMENT_BUDGET if budget is None else budget
    blocks: list[CheckedBlock] = []
    for part in document.parts:
        if isinstance(part, Block):
            blocks.append(check_block(part, given=document.kinds, budget=seconds, catalog=catalog))
    return CheckedDocument(document, tuple(blocks))
