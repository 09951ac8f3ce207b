"""A person's own data from CSV text: columns picked, bad rows reported, points scaled.

``read_table`` splits the text (Python's csv module: quotes and commas handled, nothing
executed); ``table_to_points`` takes the two coordinate columns and the label (or target)
column, skips each bad row with a reason, and maps the coordinates linearly onto the
playground's plane so every view shows them; the scaling is kept to report the original units.
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

import numpy as np

from .spec import MAX_CLASSES, shown

MAX_CSV_BYTES = 1_000_000
MAX_ROWS = 2000          # as many points as the generated datasets allow
PLANE_EXTENT = 5.0       # coordinates land in [-5, 5], inside the plane's [-6, 6]
SHOWN_PROBLEMS = 5       # rows named in the summary; the count covers all


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]         # data rows as text, header removed
    first_line: int               # the line number of rows[0] in the file (1-based)

    def preview(self, n: int = 5) -> list[list[str]]:
        return [self.header] + self.rows[:n]


@dataclass
class Points:
    points: np.ndarray            # (N, 2) in the plane
    values: np.ndarray            # class ids (int) or targets (float)
    kind: str                     # "classification" or "regression"
    class_names: list[str] = field(default_factory=list)
    scale: tuple = ()             # ((offset1, factor1), (offset2, factor2)): plane = (x - offset) * factor
    problems: list[str] = field(default_factory=list)
    skipped: int = 0
    guess: str = ""               # why the label column was taken as classes or as numbers, if guessed
    columns: tuple = ()           # the names of the x1, x2 and label columns, for the axes

    def summary(self) -> str:
        """One sentence for the page: how many rows were used and which were skipped, and why."""
        text = f"{len(self.points)} rows used"
        if self.skipped:
            named = "; ".join(self.problems[:SHOWN_PROBLEMS])
            more = f"; and {self.skipped - SHOWN_PROBLEMS} more" if self.skipped > SHOWN_PROBLEMS else ""
            text += f", {self.skipped} skipped: {named}{more}"
        return text + "."


def read_table(text: str) -> Table:
    """The CSV's header and rows. A first row of non-numbers is the header; otherwise the
    columns are called column 1, 2, ..."""
    if not isinstance(text, str):
        raise ValueError("csv: expected text")
    if len(text.encode()) > MAX_CSV_BYTES:
        raise ValueError(f"csv: the file is larger than {MAX_CSV_BYTES // 1_000_000} MB")
    if not text.strip():
        raise ValueError("csv: the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module then ends lines at \n, \r\n or a lone \r (old Mac files)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as err:  # the module's own words are for programmers
        if "field limit" in str(err):
            raise ValueError(f"csv: line {reader.line_num} has a value longer than {csv.field_size_limit():,} "
                             "characters; is this really a table?") from None
        raise ValueError(f"csv: line {reader.line_num} could not be read ({err})") from None
    if not rows:
        raise ValueError("csv: the file has no rows")
    if any(_number(cell) is None for cell in rows[0] if cell.strip()):
        header, data, first = [c.strip() for c in rows[0]], rows[1:], 2
    else:
        header, data, first = [f"column {i + 1}" for i in range(len(rows[0]))], rows, 1
    if len(header) < 3:
        raise ValueError(f"csv: {len(header)} columns; nnweb needs x1, x2 and a label or target")
    if not data:
        raise ValueError("csv: the file has a header but no data rows")
    if len(data) > MAX_ROWS:
        raise ValueError(f"csv: {len(data)} data rows, at most {MAX_ROWS}")
    return Table(header, data, first)


def _number(cell: str) -> float | None:
    try:
        value = float(cell.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def table_to_points(table: Table, x1: int = 0, x2: int = 1, label: int = 2, kind: str | None = None) -> Points:
    """Pick columns by index; ``kind`` None guesses: whole numbers or words -> classes."""
    width = len(table.header)
    for name, index in (("x1", x1), ("x2", x2), ("label", label)):
        if not 0 <= index < width:
            raise ValueError(f"csv: the {name} column {index + 1} does not exist (the file has {width})")
    if len({x1, x2, label}) < 3:
        raise ValueError("csv: x1, x2 and the label must be three different columns")
    coords, labels, lines, problems = [], [], [], []
    for i, row in enumerate(table.rows):
        line = table.first_line + i
        if len(row) != width:
            problems.append(f"row {line} has {len(row)} columns, expected {width}")
            continue
        a, b = _number(row[x1]), _number(row[x2])
        if a is None or b is None:
            bad = table.header[x1] if a is None else table.header[x2]
            problems.append(f"row {line}: {bad} {shown(row[x1] if a is None else row[x2])} is not a number")
            continue
        if not row[label].strip():
            problems.append(f"row {line}: the {table.header[label]} is empty")
            continue
        if _number(row[label]) is None and _parses(row[label]):  # nan, inf: a missing value, not a class
            problems.append(f"row {line}: the {table.header[label]} {shown(row[label].strip())} is not a finite number")
            continue
        coords.append((a, b))
        labels.append(row[label].strip())
        lines.append(line)
    if len(coords) < 2:
        raise ValueError(f"csv: fewer than 2 usable rows ({'; '.join(problems[:SHOWN_PROBLEMS]) or 'none'})")
    numeric = [_number(v) for v in labels]
    guess = ""
    if kind is None:
        kind, guess = _guess_kind(labels, numeric)
    if kind == "regression":
        keep = [i for i, v in enumerate(numeric) if v is not None]
        for i, v in enumerate(numeric):
            if v is None:
                problems.append(f"row {lines[i]}: the target {shown(labels[i])} is not a number")
        coords, values, names = [coords[i] for i in keep], np.array([numeric[i] for i in keep]), []
    else:
        names = sorted(set(labels), key=lambda v: (_number(v) is None, _number(v) or 0, v))
        if len(names) > MAX_CLASSES:
            raise ValueError(f"csv: {len(names)} different labels, at most {MAX_CLASSES} classes")
        if len(names) < 2:
            raise ValueError("csv: every row has the same label; classification needs two classes")
        index = {name: i for i, name in enumerate(names)}
        values = np.array([index[v] for v in labels], dtype=np.int64)
    xy = np.array(coords, dtype=float)
    scale = []
    for axis in range(2):
        low, high = xy[:, axis].min(), xy[:, axis].max()
        middle, half = (low + high) / 2, (high - low) / 2
        factor = PLANE_EXTENT / half if half > 1e-9 * max(1.0, abs(middle)) else 1.0  # a constant column stays put
        xy[:, axis] = (xy[:, axis] - middle) * factor
        scale.append((float(middle), float(factor)))
    return Points(xy, values, kind, names, tuple(scale), problems, len(problems), guess,
                  (table.header[x1], table.header[x2], table.header[label]))


def _parses(cell: str) -> bool:
    """Whether ``float`` reads the cell at all (nan and inf included)."""
    try:
        float(cell.strip())
    except ValueError:
        return False
    return True


def _guess_kind(labels: list[str], numeric: list[float | None]) -> tuple[str, str]:
    """(kind, why) for a label column: words or at most MAX_CLASSES whole numbers are classes,
    other numbers are targets. The why is said on the page: 11 classes becoming a regression
    silently looked like a bug."""
    distinct = len(set(labels))
    words = [v for v, n in zip(labels, numeric) if n is None]
    if words:
        return "classification", f"classes, because the column holds words (such as {shown(words[0])})"
    fraction = next((v for v, n in zip(labels, numeric) if n != int(n)), None)
    if fraction is not None:
        return "regression", ("numbers to predict, because the column holds numbers that are not whole "
                              f"(such as {fraction})")
    if distinct > MAX_CLASSES:
        return "regression", (f"numbers to predict, because the column holds {distinct} different whole numbers, "
                              f"more than the {MAX_CLASSES} classes nnweb can show")
    return "classification", f"classes, because the column holds {distinct} different whole numbers"
