"""Interview practice: drills whose typed working the reasoning checker judges, with hints,
worked solutions, and a Leitner schedule kept in a local SQLite record.

>>> from derive.practice import drill, judge
>>> judge(drill("determinant-trace-2x2", seed=1), ["(-4)(-5) - (-3)(1)"]).right
True
"""

from derive.practice.drills import Drill, Verdict, drill, judge
from derive.practice.session import Record, Session, Summary
from derive.practice.store import Store

__all__ = ["Drill", "Record", "Session", "Store", "Summary", "Verdict", "drill", "judge"]
