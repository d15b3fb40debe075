#!/usr/bin/env python3
"""Transcribe the 26 OCOP scorecards of Decision 26/2026/QĐ-TTg (Phụ lục II)
and the product classification (Phụ lục I) from the plain-text copy of the
decision into the committed JSON files under app/rules/qd-26-2026/.

    python3 tests/rules/transcribe.py --write   # regenerate the JSON files
    python3 tests/rules/transcribe.py --check   # re-derive, compare, verify

The text copy came from a Word table: every cell ends with a line holding just
" | ", and cell text is wrapped over several lines, each with a leading space.
The parser walks those cells, pairs each text cell with the points cell that
follows it (if any), and builds part → group → criterion → case → option.

Where the decision contradicts itself, the data keeps figures that satisfy the
invariants (every max = sum of its children; a criterion's max = its best
option; A + B + C = 40 + 25 + 35 = 100) and the place is listed as an erratum.
Errata the parser detects by itself (a part heading "(35 Điểm)" over a column
of 40, a criterion printed without options, a classification mismatch) are
recorded automatically; every other correction is a hand decision and lives in
CORRECTIONS below, each citing its source line.

Python 3.11, standard library only.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

RULE_SET = "qd-26-2026"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE = REPO_ROOT / "app" / "rules" / "source" / "qd-26-2026-QD-TTg.txt"
OUT_DIR = REPO_ROOT / "app" / "rules" / RULE_SET
PART_MAX = {"A": 40, "B": 25, "C": 35}
CELL_END = " | "

# ---------------------------------------------------------------------------
# Hand corrections. Each entry names the product set and the 1-based source
# line of the row it corrects, what the source prints there (checked, so a
# changed source text fails loudly) and what the data holds instead.
#   field "points":       the points cell of an option row
#   field "max":          the points cell of a part / group / criterion row
#   field "blank_points": an option row whose points cell is blank
#   field "equal_points": a criterion row whose options print equal points
#   field "text":         an option row's wording
#   field "knockout":     a note row that is an eligibility condition (moved
#                         from notes to knockouts), or a knock-out note that
#                         covers more criteria than it sits under ("also")
# A blank points cell or equal points that no correction names stop the
# transcription, as the Rust loader refuses them.
# ---------------------------------------------------------------------------
BLANK_NOTE = ("the lowest option of the criterion (no certificate at all); the other sets "
              "print 0 for this same option, and the other two options print 1 and 2 "
              "under a maximum of 2")
AS_PRINTED = ("kept as printed: nothing contradicts itself (the maximum still equals the "
              "best option) and the council scores on the printed form; a published "
              "correction would be a new rule set")
REQUIREMENT_NOTE = ("an eligibility condition, not a scored option: a product that does not "
                    "meet it is not eligible under this set. Sets 7–15 and 18–20 print their "
                    "1.1 origin condition as a knock-out (“Bị loại nếu…”), so the data records "
                    "this line the same way, where a council member can flag it")
CORRECTIONS: list[dict] = [
    # Set 23 (Hoa), group 9 "HƯỚNG DẪN SỬ DỤNG…": the points cell prints "4"
    # and a stray "1" (lines 17870–17871); the options go up to 4 and Part C
    # sums to 35 with 4.
    {"set": 23, "line": 17866, "field": "max", "source_says": "4 1", "data_holds": 4,
     "note": "stray '1' under the group's figure; options reach 4 and Part C sums to 35 with 4"},
    # Set 4 (Mật ong…), group 7 "DINH DƯỠNG" (max 3): the top option
    # "Có trên 2 chỉ tiêu" prints 13 (line 3789); every other set gives 3.
    {"set": 4, "line": 3787, "field": "points", "source_says": "13", "data_holds": 3,
     "note": "typo: 13 for 3 (group max 3; same option is 3 in the other food sets)"},
    # Set 11 (Chè), 6.1.1 "Tạp chất" (max 2): the middle option
    # "Có rất ít tạp chất, chấp nhận được" prints 11 (line 9047); the options
    # run 0, ?, 2, so it is 1.
    {"set": 11, "line": 9045, "field": "points", "source_says": "11", "data_holds": 1,
     "note": "typo: 11 for 1 (options run 0, 1, 2 under a maximum of 2)"},
    # Criterion 1.2 "Không được cấp giấy chứng nhận chất lượng": the points
    # cell is blank in sets 4, 7, 10 and 11.
    *({"set": n, "line": line, "field": "blank_points", "source_says": "", "data_holds": 0,
       "note": BLANK_NOTE}
      for n, line in ((4, 3219), (7, 5452), (10, 7795), (11, 8552))),
    # Set 7, 3.1 prints 1 / 1 / 3; the other 25 sets print 1 / 2 / 3.
    {"set": 7, "line": 5662, "field": "equal_points", "source_says": "1 / 1 / 3",
     "data_holds": "1 / 1 / 3", "note": "the other 25 sets print 1 / 2 / 3 for the same three "
     "options, so the print may be a slip; " + AS_PRINTED},
    # Set 23, 6.2 prints 1 / 1 / 3 / 5; set 2's like scale prints 0 / 1 / 3 / 5.
    {"set": 23, "line": 17787, "field": "equal_points", "source_says": "1 / 1 / 3 / 5",
     "data_holds": "1 / 1 / 3 / 5", "note": "set 2 prints 0 / 1 / 3 / 5 for a like scale, so "
     "the print may be a slip; " + AS_PRINTED},
    # Set 19, 2.3's first option prints the trademark-application wording of 3.5.
    {"set": 19, "line": 14639, "field": "text",
     "source_says": "Đơn đăng ký nhãn hiệu đã được cơ quan có thẩm quyền chấp nhận hoặc công "
                    "bố (đã qua vòng thẩm định hình thức)",
     "data_holds": "Có nhãn, ghi nhãn hàng hóa đầy đủ, theo đúng quy định",
     "note": "the print repeats criterion 3.5's trademark wording, which says nothing of "
             "labelling, the subject of 2.3; the other 25 sets print “Có nhãn, ghi nhãn hàng "
             "hóa đầy đủ, theo đúng quy định***” here. The points (1) and stars (***) are "
             "kept as printed"},
    # 1.1 "Yêu cầu: 100% sản phẩm … trên địa bàn cấp tỉnh" in sets 1–4 and 23–25.
    *({"set": n, "line": line, "field": "knockout", "note": REQUIREMENT_NOTE}
      for n, line in ((1, 945), (2, 1700), (3, 2439), (4, 3195),
                      (23, 17314), (24, 17954), (25, 18590))),
    # Set 16: the note under 6.4 covers 6.1–6.4 ("các chỉ tiêu trên").
    {"set": 16, "line": 12783, "field": "knockout", "also": ["6.1", "6.2", "6.3"],
     "note": "“các chỉ tiêu trên” are 6.1 to 6.4 of group 6 (sensory criteria); printed once, "
             "under 6.4, it could not be flagged when a product scores 0 on 6.1, 6.2 or 6.3"},
]


# ---------------------------------------------------------------------------
# Reading the text: cells and rows
# ---------------------------------------------------------------------------
class Cell:
    """One table cell: its first line number (1-based) and its text lines."""

    def __init__(self, line: int, lines: list[str]):
        self.line = line
        self.lines = [l.strip() for l in lines]

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines with one space, collapsing runs of whitespace."""
    return re.sub(r"\s+", " ", " ".join(l.strip() for l in lines)).strip()


def read_cells(lines: list[str], start: int, end: int) -> list[Cell]:
    """Cells between 0-based line indexes start (inclusive) and end (exclusive)."""
    cells: list[Cell] = []
    cur: list[str] = []
    first = None
    for i in range(start, end):
        if lines[i] == CELL_END:
            cells.append(Cell(first if first is not None else i + 1, cur))
            cur, first = [], None
        else:
            if first is None:
                first = i + 1
            cur.append(lines[i])
    if cur:
        cells.append(Cell(first, cur))
    return cells


class Row:
    """A text cell plus its points cell. `points` is the raw points text;
    None when the text cell spans both columns (no points cell follows)."""

    def __init__(self, cell: Cell, points: str | None):
        self.cell = cell
        self.points = points

    @property
    def line(self) -> int:
        return self.cell.line

    @property
    def text(self) -> str:
        return self.cell.text


POINTS_RE = re.compile(r"^[\d ]*$")


def pair_rows(cells: list[Cell]) -> list[Row]:
    """A text cell followed by a blank or numeric cell is a two-column row;
    a text cell followed by another text cell spans the whole table width."""
    rows: list[Row] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        nxt = cells[k + 1].text if k + 1 < len(cells) else None
        if nxt is not None and POINTS_RE.match(nxt):
            rows.append(Row(cell, nxt))
            k += 2
        else:
            rows.append(Row(cell, None))
            k += 1
    return rows


# ---------------------------------------------------------------------------
# Phụ lục I: classification
# ---------------------------------------------------------------------------
def sentence_case(text: str) -> str:
    text = text.lower()
    return text[:1].upper() + text[1:]


def parse_classification(lines: list[str]) -> dict:
    """Rows of Phụ lục I: STT | name | ministry. Roman numerals are sectors,
    digits groups, letters sub-groups; every leaf (a sub-group, or a group
    without sub-groups) is one product set, numbered in order 1–26."""
    start = next(i for i, l in enumerate(lines) if l.strip() == "PHỤ LỤC I")
    end = next(i for i, l in enumerate(lines) if l.strip() == "PHỤ LỤC II")
    cells = read_cells(lines, start, end)
    # skip the header row (STT | Phân loại sản phẩm | Cơ quan chủ trì)
    k = next(i for i, c in enumerate(cells) if c.text.startswith("Cơ quan chủ trì")) + 1
    sectors: list[dict] = []
    while k + 2 < len(cells):  # the last cell is the footnote
        stt, name, ministry = (cells[k].text, cells[k + 1], cells[k + 2].text)
        k += 3
        if re.fullmatch(r"[IVX]+", stt):
            sectors.append({
                "name": sentence_case(re.sub(r"^SẢN PHẨM\s+", "", name.text)),
                "source_line": name.line,
                "groups": [],
            })
        elif re.fullmatch(r"\d+", stt):
            sectors[-1]["groups"].append({
                "name": re.sub(r"^Nhóm:\s*", "", name.text),
                "ministry": ministry or None,
                "source_line": name.line,
                "subgroups": [],
            })
        elif re.fullmatch(r"[a-z]", stt):
            sectors[-1]["groups"][-1]["subgroups"].append({
                "name": re.sub(r"^Phân nhóm:\s*", "", name.text),
                "ministry": ministry or None,
                "source_line": name.line,
            })
        else:
            raise SystemExit(f"Phụ lục I: unexpected STT {stt!r} at line {name.line}")
    # number the leaves
    number = 0
    for sector in sectors:
        for group in sector["groups"]:
            if group["subgroups"]:
                for sub in group["subgroups"]:
                    number += 1
                    sub["product_set"] = number
            else:
                number += 1
                group["product_set"] = number
    return {"sectors": sectors, "count": number}


def classification_json(cls: dict) -> dict:
    """The committed classification.json: ministry where the source puts it
    (per group when the group has no sub-groups, else per sub-group)."""
    out = {"rule_set": RULE_SET, "sectors": []}
    for sector in cls["sectors"]:
        s = {"name": sector["name"], "groups": []}
        for group in sector["groups"]:
            g = {"name": group["name"], "ministry": group["ministry"]}
            if group["subgroups"]:
                g["product_sets"] = [sub["product_set"] for sub in group["subgroups"]]
                g["subgroups"] = [
                    {"product_set": sub["product_set"], "name": sub["name"],
                     "ministry": sub["ministry"]}
                    for sub in group["subgroups"]
                ]
            else:
                g["product_sets"] = [group["product_set"]]
            s["groups"].append(g)
        out["sectors"].append(s)
    return out


def set_classification(cls: dict) -> dict[int, dict]:
    """product set number → sector / group / ministry / Phụ lục I name."""
    out: dict[int, dict] = {}
    for sector in cls["sectors"]:
        for group in sector["groups"]:
            leaves = group["subgroups"] or [group]
            for leaf in leaves:
                out[leaf["product_set"]] = {
                    "sector": sector["name"],
                    "group": group["name"],
                    "ministry": leaf["ministry"],
                    "leaf_name": leaf["name"],
                }
    return out


# ---------------------------------------------------------------------------
# Phụ lục II: list of product sets and scorecard headers
# ---------------------------------------------------------------------------
def parse_set_list(lines: list[str]) -> dict[int, str]:
    """The numbered list "N | Bộ sản phẩm: name" at the head of Phụ lục II."""
    start = next(i for i, l in enumerate(lines) if l.strip() == "PHỤ LỤC II")
    end = next(i for i, l in enumerate(lines) if i > start and re.match(r"^1\. Bộ sản phẩm", l))
    cells = read_cells(lines, start, end)
    names: dict[int, str] = {}
    for a, b in zip(cells, cells[1:]):
        if re.fullmatch(r"\d+", a.text) and b.text.startswith("Bộ sản phẩm:"):
            names[int(a.text)] = re.sub(r"^Bộ sản phẩm:\s*", "", b.text)
    return names


def find_scorecards(lines: list[str]) -> list[dict]:
    """Each scorecard: its heading (the number may stand on its own line, and
    sets 12 and 13 omit "Bộ sản phẩm:"), the table start ("Các tiêu chí")
    and the table end ("TỔNG CỘNG")."""
    starts = [i for i, l in enumerate(lines) if l.strip() == "Các tiêu chí"]
    ends = [i for i, l in enumerate(lines) if l.strip() == "TỔNG CỘNG"]
    if len(starts) != len(ends):
        raise SystemExit("table starts and ends do not pair up")
    cards = []
    prev_end = next(i for i, l in enumerate(lines) if l.strip() == "PHỤ LỤC II")
    for s, e in zip(starts, ends):
        # the heading is the first unindented "N." line after the previous table
        h = next(i for i in range(prev_end, s) if re.match(r"^\d{1,2}\.(\s|$)", lines[i]))
        cards.append({"number": int(lines[h].split(".")[0]), "heading": h,
                      "table": s, "end": e})
        prev_end = e
    return cards


def parse_header(lines: list[str], card: dict) -> dict:
    """Heading name, the "(Sản phẩm: …. Nhóm: …)" line and the rejection
    rules, all printed as unindented paragraphs above the table."""
    h, s = card["heading"], card["table"]
    block = lines[h:s]
    # heading name: from the heading line up to the "(Sản phẩm" line
    k = next(i for i, l in enumerate(block) if l.strip().startswith("(Sản phẩm"))
    heading = join_lines(block[:k])
    heading = re.sub(r"^\d{1,2}\.\s*", "", heading)
    heading = re.sub(r"^Bộ sản phẩm:\s*", "", heading)
    # "(Sản phẩm: X. Nhóm: Y)" may wrap; it ends at the line closing the paren
    j = k
    while not block[j].rstrip().endswith(")"):
        j += 1
    classline = join_lines(block[k:j + 1])
    m = re.fullmatch(r"\(Sản phẩm:\s*(.+?)(?:[.,]\s*Nhóm:\s*(.+))?\)", classline)
    if not m:
        raise SystemExit(f"set {card['number']}: cannot read {classline!r}")
    # rejection rules: paragraphs starting "Hồ sơ bị loại khi" / "Bị loại khi"
    rules: list[tuple[int, str]] = []
    cur: list[str] | None = None
    cur_line = 0
    for i in range(j + 1, len(block)):
        line = block[i]
        if re.match(r"^(Hồ sơ bị loại khi|Bị loại khi)", line):
            if cur:
                rules.append((cur_line, join_lines(cur)))
            cur, cur_line = [line], h + i + 1
        elif cur is not None:
            cur.append(line)
    if cur:
        rules.append((cur_line, join_lines(cur)))
    unique: list[str] = []
    for _, text in rules:
        if text not in unique:  # the text copy repeats some paragraphs
            unique.append(text)
    return {
        "heading_name": heading,
        "class_line": k + h + 1,
        "class_sector": m.group(1).strip(),
        "class_group": (m.group(2) or "").strip() or None,
        "rejection_rules": unique,
    }


# ---------------------------------------------------------------------------
# Scorecard table → tree
# ---------------------------------------------------------------------------
PART_RE = re.compile(r"^PHẦN\s+([ABC])\s*:?\s*(.*)$", re.IGNORECASE)
CODE_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$")
OPTION_RE = re.compile(r"^(?:□|o)\s+(.*)$")
# trailing star marker; set 3 line 2879 prints it spaced out ("* * * *")
STARS_RE = re.compile(r"\s*((?:\*\s*){3,5})$")
# a note printed inside an option cell (sets 21 and 22, criterion 6.2)
OPTION_NOTE_RE = re.compile(r"^(Ghi chú|Chú ý|Lưu ý)")
CASE_RE = re.compile(r"^([a-z])\.\s+(.*)$")
# a new paragraph inside a group/criterion heading cell: an explanation
# rather than the continuation of the wrapped name
NOTE_START_RE = re.compile(r"^(\(|Yêu cầu|Chất lượng|Áp dụng)")
KNOCKOUT_RE = re.compile(
    r"bị loại|không đánh giá|không xem xét", re.IGNORECASE)
CONDITION_RE = re.compile(r"^Chỉ áp dụng khi")


def split_heading(cell: Cell) -> tuple[str, list[tuple[int, str]]]:
    """A heading cell holds the name, then possibly explanation paragraphs
    ("(Khả năng …)", "Yêu cầu: …", "Chất lượng: …"), which become notes."""
    paras: list[tuple[int, list[str]]] = []
    for off, line in enumerate(cell.lines):
        if paras and NOTE_START_RE.match(line):
            paras.append((cell.line + off, [line]))
        elif paras:
            paras[-1][1].append(line)
        else:
            paras.append((cell.line + off, [line]))
    name = join_lines(paras[0][1])
    return name, [(ln, join_lines(ls)) for ln, ls in paras[1:]]


def points_value(raw: str | None) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw else 0


class Builder:
    """Walks the rows of one scorecard and builds the tree, applying the
    hand corrections and collecting errata."""

    def __init__(self, number: int, rows: list[Row], corrections: list[dict]):
        self.number = number
        self.rows = rows
        self.corr = {c["line"]: c for c in corrections if c["set"] == number}
        self.used: set[int] = set()
        self.errata: list[dict] = []
        self.also_knockouts: list[tuple[int, str, list[str], str, str]] = []
        self.parts: list[dict] = []
        self.group = None
        self.group_notes: list = []   # explanations printed in a group's heading cell
        self.crit = None
        self.section = None

    # -- figures, with corrections ------------------------------------------
    def figure(self, row: Row, field: str, place: str) -> int:
        raw = (row.points or "").strip()
        c = self.corr.get(row.line)
        if c is not None and c["field"] == field:
            if c["source_says"] != raw:
                raise SystemExit(
                    f"set {self.number} line {row.line}: correction expects "
                    f"{c['source_says']!r} but the source says {raw!r}")
            self.used.add(row.line)
            self.errata.append(erratum(
                self.kind_of(field), row.line, place, raw, str(c["data_holds"]), c["note"],
                self.crit["code"] if field == "points" else None))
            return int(c["data_holds"])
        if not re.fullmatch(r"\d*", raw):
            raise SystemExit(f"set {self.number} line {row.line}: {place}: "
                             f"unreadable points {raw!r} (needs a correction)")
        return points_value(raw)

    def kind_of(self, field: str) -> str:
        if field == "points":
            return "points"
        return "part_max" if self.group is None else "group_max"

    def correction(self, line: int, field: str) -> dict | None:
        c = self.corr.get(line)
        if c is None or c["field"] != field:
            return None
        self.used.add(line)
        return c

    # -- node constructors ---------------------------------------------------
    def start_part(self, row: Row, m: re.Match) -> None:
        code, rest = m.group(1).upper(), m.group(2)
        fig = re.search(r"\((\d+)\s*điểm\)\s*$", rest, re.IGNORECASE)
        name = re.sub(r"\s*\(\d+\s*điểm\)\s*$", "", rest, flags=re.IGNORECASE).strip()
        mx = self.figure(row, "max", f"Bộ {self.number}, Phần {code}")
        if fig and int(fig.group(1)) != mx:
            self.errata.append(erratum(
                "part_max", row.line, f"Bộ {self.number}, Phần {code} heading",
                f"{fig.group(1)} Điểm", str(mx),
                "heading figure disagrees with the points column; the column "
                "figure is kept (it is the sum of the part's groups)"))
        self.parts.append({"code": code, "name": name, "max": mx,
                           "source_line": row.line, "groups": []})
        self.group = self.crit = self.section = None

    def start_group(self, row: Row, code: str) -> None:
        name, notes = split_heading(self.strip_code(row.cell))
        mx = self.figure(row, "max", f"Bộ {self.number}, nhóm {code}")
        self.group = {"code": code, "name": name, "max": mx,
                      "source_line": row.line, "criteria": []}
        self.group_notes = notes
        self.parts[-1]["groups"].append(self.group)
        self.crit = self.section = None

    def start_criterion(self, row: Row | None, code: str, name: str | None = None,
                        notes: list | None = None) -> None:
        if row is not None and name is None:
            name, notes = split_heading(self.strip_code(row.cell))
        mx = (self.figure(row, "max", f"Bộ {self.number}, tiêu chí {code}")
              if row is not None else self.group["max"])
        self.crit = {"code": code, "name": name, "max": mx,
                     "source_line": row.line if row is not None else self.group["source_line"],
                     "notes": [], "knockouts": [], "condition": None,
                     "cases": [{"label": None, "title": None, "options": []}]}
        if self.section is not None:
            self.crit["section"] = self.section["code"]
            self.section["criteria"].append(code)
        self.group["criteria"].append(self.crit)
        for ln, text in notes or []:
            self.add_note(text, ln)

    def start_section(self, row: Row, code: str) -> None:
        """A criterion row followed by finer codes (6.2 → 6.2.1, …): a heading
        that sums its sub-criteria. The sub-criteria join the group, and the
        heading is kept as a section so its figure can still be checked."""
        name, notes = split_heading(self.strip_code(row.cell))
        mx = self.figure(row, "max", f"Bộ {self.number}, mục {code}")
        self.section = {"code": code, "name": name, "max": mx,
                        "source_line": row.line, "criteria": []}
        self.group.setdefault("sections", []).append(self.section)
        self.crit = None

    @staticmethod
    def strip_code(cell: Cell) -> Cell:
        first = CODE_RE.match(cell.lines[0])
        if first:
            rest = first.group(2)
        else:  # the code stood alone on the first line
            rest = ""
        lines = ([rest] if rest else []) + cell.lines[1:]
        return Cell(cell.line, lines)

    def ensure_group_criterion(self) -> None:
        """Options or notes directly under a group: the group is its own
        (single) criterion, with the group's code and name."""
        if self.crit is None:
            self.start_criterion(None, self.group["code"], self.group["name"],
                                 self.group_notes)
            self.group_notes = []

    def add_note(self, text: str, line: int) -> None:
        c = self.correction(line, "knockout")
        if c is not None:
            code = self.crit["code"]
            also = c.get("also", [])
            if not also:
                self.crit["knockouts"].append(text)
                self.errata.append(erratum(
                    "knockout", line, f"Bộ {self.number}, tiêu chí {code}, dòng “Yêu cầu”",
                    f"{text} (in như một ghi chú)", "điều kiện loại (hội đồng có thể đánh dấu)",
                    c["note"], code))
                return
            if not KNOCKOUT_RE.search(text):
                raise SystemExit(f"set {self.number} line {line}: not a knock-out: {text!r}")
            self.crit["knockouts"].append(text)
            self.also_knockouts.append((line, text, also, c["note"], self.crit["code"]))
            return
        if CONDITION_RE.match(text):
            self.crit["condition"] = text
        elif KNOCKOUT_RE.search(text):
            self.crit["knockouts"].append(text)
        else:
            self.crit["notes"].append(text)

    def option_row(self, row: Row) -> None:
        """An option cell; a "Ghi chú: …" paragraph printed inside it is a
        note on the criterion, not part of the option text."""
        lines = row.cell.lines
        cut = next((i for i, l in enumerate(lines) if i and OPTION_NOTE_RE.match(l)), len(lines))
        self.add_option(row, OPTION_RE.match(join_lines(lines[:cut])).group(1))
        if cut < len(lines):
            self.add_note(join_lines(lines[cut:]), row.line + cut)

    def add_option(self, row: Row, text: str) -> None:
        self.ensure_group_criterion()
        stars = None
        m = STARS_RE.search(text)
        if m:
            stars = m.group(1).count("*")
            text = text[:m.start()].rstrip()
        short = text if len(text) <= 40 else text[:40] + "…"
        code = self.crit["code"]
        place = f"Bộ {self.number}, tiêu chí {code}, phương án “{short}”"
        c = self.correction(row.line, "text")
        if c is not None:
            if c["source_says"] != text:
                raise SystemExit(f"set {self.number} line {row.line}: correction expects "
                                 f"{c['source_says']!r} but the source says {text!r}")
            self.errata.append(erratum("text", row.line, place, text, c["data_holds"],
                                       c["note"], code))
            text = c["data_holds"]
        option = {"text": text, "points": 0, "stars": stars, "source_line": row.line}
        if not (row.points or "").strip() and row.line not in self.corr:
            raise SystemExit(f"set {self.number} line {row.line}: {place}: blank points "
                             "cell (needs a blank_points correction)")
        c = self.correction(row.line, "blank_points")
        if c is not None:
            if (row.points or "").strip():
                raise SystemExit(f"set {self.number} line {row.line}: not blank")
            option["points"] = int(c["data_holds"])
            option["blank"] = True
            self.errata.append(erratum("blank_points", row.line, place, "(ô điểm để trống)",
                                       str(c["data_holds"]), c["note"], code))
        else:
            option["points"] = self.figure(row, "points", place)
        self.crit["cases"][-1]["options"].append(option)

    def start_case(self, label: str, title: str) -> None:
        self.ensure_group_criterion()
        cases = self.crit["cases"]
        if len(cases) == 1 and cases[0]["label"] is None and not cases[0]["options"]:
            cases.clear()
        cases.append({"label": label, "title": title, "options": []})

    # -- the walk ------------------------------------------------------------
    def build(self) -> list[dict]:
        rows = self.rows
        for idx, row in enumerate(rows):
            text = row.text
            if text in ("Các tiêu chí", "Thang điểm"):
                continue
            m = PART_RE.match(text)
            if m and row.points is not None:
                self.start_part(row, m)
                continue
            m = OPTION_RE.match(text)
            if m and row.points is not None:
                self.option_row(row)
                continue
            m = CODE_RE.match(row.cell.lines[0]) or re.match(r"^(\d+)\.$", row.cell.lines[0])
            if m and row.points is not None and row.points.strip():
                code = m.group(1)
                depth = code.count(".")
                if depth == 0:
                    self.start_group(row, code)
                elif depth == 1 and self.next_is_deeper(idx, code):
                    self.start_section(row, code)
                else:
                    self.start_criterion(row, code)
                continue
            if self.group is None:
                raise SystemExit(f"set {self.number} line {row.line}: text before any group: {text!r}")
            m = CASE_RE.match(text)
            if m and row.points is not None and not row.points.strip() \
                    and text[3:].startswith("Trường hợp"):
                self.start_case(m.group(1), m.group(2))
                continue
            # anything else is a note on the current criterion
            self.ensure_group_criterion()
            self.add_note(text, row.line)
        self.fill_missing_options()
        self.spread_knockouts()
        self.check_equal_points()
        unused = set(self.corr) - self.used
        if unused:
            raise SystemExit(f"set {self.number}: corrections not applied at lines {sorted(unused)}")
        return self.parts

    def next_is_deeper(self, idx: int, code: str) -> bool:
        for row in self.rows[idx + 1:]:
            m = CODE_RE.match(row.cell.lines[0])
            if m and row.points is not None and row.points.strip():
                return m.group(1).startswith(code + ".")
            if OPTION_RE.match(row.text):
                return False
        return False

    def fill_missing_options(self) -> None:
        """A criterion printed with a maximum but no options (the bilingual
        label criterion in several food sets) gets "Không" (0) and "Có" (max)."""
        for part in self.parts:
            for group in part["groups"]:
                for crit in group["criteria"]:
                    if any(case["options"] for case in crit["cases"]):
                        continue
                    crit["cases"] = [{"label": None, "title": None, "options": [
                        {"text": "Không", "points": 0, "stars": None,
                         "source_line": crit["source_line"]},
                        {"text": "Có", "points": crit["max"], "stars": None,
                         "source_line": crit["source_line"]},
                    ]}]
                    self.errata.append(erratum(
                        "missing_options", crit["source_line"],
                        f"Bộ {self.number}, tiêu chí {crit['code']}",
                        f"{crit['max']} điểm, không có phương án",
                        f"Không = 0; Có = {crit['max']}",
                        "criterion printed with a maximum but no options", crit["code"]))

    def criteria(self):
        return (c for p in self.parts for g in p["groups"] for c in g["criteria"])

    def spread_knockouts(self) -> None:
        """A knock-out note that names "the criteria above" joins each of them."""
        for line, text, also, note, under in self.also_knockouts:
            for crit in self.criteria():
                if crit["code"] in also:
                    crit["knockouts"].append(text)
                    self.errata.append(erratum(
                        "knockout", line,
                        f"Bộ {self.number}, tiêu chí {crit['code']}, ghi chú dưới tiêu chí "
                        f"{under}", f"ghi chú in một lần, dưới {under}: “{text}”",
                        f"điều kiện loại ghi ở cả {', '.join(also)} và {under}",
                        note, crit["code"]))

    def check_equal_points(self) -> None:
        """Two options of one case with the same points need a correction."""
        for crit in self.criteria():
            equal = any(len({o["points"] for o in case["options"]}) != len(case["options"])
                        for case in crit["cases"])
            c = self.correction(crit["source_line"], "equal_points")
            if equal and c is None:
                raise SystemExit(f"set {self.number} line {crit['source_line']}: tiêu chí "
                                 f"{crit['code']}: equal points (needs an equal_points correction)")
            if c is not None:
                printed = " / ".join(str(o["points"]) for case in crit["cases"]
                                     for o in case["options"])
                if not equal or printed != c["source_says"]:
                    raise SystemExit(f"set {self.number} line {crit['source_line']}: correction "
                                     f"expects {c['source_says']!r}, the source gives {printed!r}")
                self.errata.append(erratum(
                    "equal_points", crit["source_line"],
                    f"Bộ {self.number}, tiêu chí {crit['code']} ({crit['name']})",
                    c["source_says"], c["data_holds"] + " (giữ như bản in)", c["note"],
                    crit["code"]))


# ---------------------------------------------------------------------------
# One product set
# ---------------------------------------------------------------------------
def erratum(kind: str, line: int, place: str, says: str, holds: str, note: str,
            criterion: str | None = None) -> dict:
    e = {"kind": kind}
    if criterion is not None:
        e["criterion"] = criterion
    e.update({"source_line": line, "place": place, "source_says": says,
              "data_holds": holds, "note": note})
    return e


def differs(short: str | None, full: str, sector: str) -> bool:
    """The sub-heading under a scorecard's name against Phụ lục I: a shortened
    name is a difference too (it is what a reader of the printed form sees);
    a group left out differs unless Phụ lục I's group repeats the sector."""
    if short is None:
        return full != sector
    return short.lower() != full.lower()


def build_set(lines: list[str], card: dict, set_names: dict[int, str],
              cls: dict[int, dict], corrections: list[dict]) -> dict:
    number = card["number"]
    header = parse_header(lines, card)
    rows = pair_rows(read_cells(lines, card["table"], card["end"]))
    builder = Builder(number, rows, corrections)
    parts = builder.build()
    errata = list(builder.errata)
    # the printed grand total ("TỔNG CỘNG | 100") must agree with the data
    total_cells = read_cells(lines, card["end"], card["end"] + 4)
    printed_total = total_cells[1].text if len(total_cells) > 1 else ""
    if printed_total != str(sum(p["max"] for p in parts)):
        errata.append(erratum(
            "total", card["end"] + 1, f"Bộ {number}, TỔNG CỘNG", printed_total,
            str(sum(p["max"] for p in parts)),
            "printed total disagrees with the sum of the parts"))
    c = cls[number]
    for field, short, full in (("Sản phẩm", header["class_sector"], c["sector"]),
                               ("Nhóm", header["class_group"], c["group"])):
        if differs(short, full, c["sector"]):
            errata.append(erratum(
                "classification", header["class_line"],
                f"Bộ {number}, dòng phân loại ({field})",
                short if short is not None else "(không in)", full,
                "scorecard sub-heading disagrees with Phụ lục I (the table of sectors and "
                "groups, where each set stands once); Phụ lục I is kept"))
    name = set_names[number]
    if header["heading_name"] != name:
        errata.append(erratum(
            "name", card["heading"] + 1, f"Bộ {number}, tên bộ sản phẩm",
            header["heading_name"], name,
            "scorecard heading differs from the list of product sets at the "
            "head of Phụ lục II; the list's name is kept"))
    errata.sort(key=lambda e: e["source_line"])
    return {
        "rule_set": RULE_SET,
        "number": number,
        "name": name,
        "sector": c["sector"],
        "group": c["group"],
        "ministry": c["ministry"],
        "source_line": card["heading"] + 1,
        "rejection_rules": header["rejection_rules"],
        "parts": parts,
        "errata": errata,
    }


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------
def check_invariants(data: dict) -> list[str]:
    n = data["number"]
    bad: list[str] = []

    def fail(code: str, rule: str) -> None:
        bad.append(f"set {n}, {code}: {rule}")

    parts = data["parts"]
    if [p["code"] for p in parts] != ["A", "B", "C"]:
        fail("parts", f"parts are {[p['code'] for p in parts]}, expected A, B, C")
    for p in parts:
        if PART_MAX.get(p["code"]) != p["max"]:
            fail(f"Phần {p['code']}", f"max {p['max']} ≠ {PART_MAX.get(p['code'])}")
        gsum = sum(g["max"] for g in p["groups"])
        if gsum != p["max"]:
            fail(f"Phần {p['code']}", f"max {p['max']} ≠ sum of groups {gsum}")
        for g in p["groups"]:
            if not g["criteria"]:
                fail(f"nhóm {g['code']}", "has no criteria")
            codes = [c["code"] for c in g["criteria"]]
            if len(set(codes)) != len(codes):
                fail(f"nhóm {g['code']}", f"duplicate criterion codes {codes}")
            csum = sum(c["max"] for c in g["criteria"])
            if csum != g["max"]:
                fail(f"nhóm {g['code']}", f"max {g['max']} ≠ sum of criteria {csum}")
            for sec in g.get("sections", []):
                ssum = sum(c["max"] for c in g["criteria"] if c["code"] in sec["criteria"])
                if ssum != sec["max"]:
                    fail(f"mục {sec['code']}", f"max {sec['max']} ≠ sum of criteria {ssum}")
            for c in g["criteria"]:
                code = f"tiêu chí {c['code']}"
                if not (c["code"] == g["code"] or c["code"].startswith(g["code"] + ".")):
                    fail(code, f"code does not belong to group {g['code']}")
                opts = [o for case in c["cases"] for o in case["options"]]
                if not opts:
                    fail(code, "has no options")
                    continue
                for o in opts:
                    if not isinstance(o["points"], int) or not 0 <= o["points"] <= c["max"]:
                        fail(code, f"option points {o['points']} outside 0..{c['max']} "
                                   f"(line {o['source_line']})")
                    if o["stars"] not in (None, 3, 4, 5):
                        fail(code, f"stars {o['stars']} not 3/4/5/null")
                    if "*" in o["text"]:
                        fail(code, f"stray star marker in option text (line {o['source_line']})")
                best = max(o["points"] for o in opts)
                if best != c["max"]:
                    fail(code, f"max {c['max']} ≠ highest option {best}")
                if len(c["cases"]) > 1 and any(case["label"] is None for case in c["cases"]):
                    fail(code, "alternative cases without labels")
    total = sum(p["max"] for p in parts)
    if total != 100:
        fail("total", f"A + B + C = {total} ≠ 100")
    return bad


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------
def derive(source: Path) -> tuple[dict[str, str], list[dict], list[str]]:
    """Everything from the source text: {relative file name: JSON text},
    the sets (as data) and the invariant failures."""
    lines = source.read_text(encoding="utf-8").split("\n")
    cls = parse_classification(lines)
    if cls["count"] != 26:
        raise SystemExit(f"Phụ lục I lists {cls['count']} product sets, expected 26")
    set_cls = set_classification(cls)
    set_names = parse_set_list(lines)
    cards = find_scorecards(lines)
    if [c["number"] for c in cards] != list(range(1, 27)):
        raise SystemExit(f"scorecards found: {[c['number'] for c in cards]}")
    files: dict[str, str] = {}
    sets: list[dict] = []
    bad: list[str] = []
    for card in cards:
        data = build_set(lines, card, set_names, set_cls, CORRECTIONS)
        bad += check_invariants(data)
        sets.append(data)
        files[f"set-{card['number']:02d}.json"] = dump(data)
    files["classification.json"] = dump(classification_json(cls))
    return files, sets, bad


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def print_errata(sets: list[dict]) -> None:
    n = sum(len(s["errata"]) for s in sets)
    print(f"errata ({n}):")
    for s in sets:
        for e in s["errata"]:
            print(f"  set {s['number']:2d}, line {e['source_line']}: {e['place']}: "
                  f"{e['source_says']} → {e['data_holds']}")


def diff_summary(name: str, want: str, have: str) -> str:
    w, h = want.split("\n"), have.split("\n")
    for i, (a, b) in enumerate(zip(w, h), 1):
        if a != b:
            return (f"{name}: first difference at line {i}\n"
                    f"    derived:   {a.strip()[:120]}\n    committed: {b.strip()[:120]}")
    return f"{name}: derived {len(w)} lines, committed {len(h)} lines"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="regenerate the JSON files")
    mode.add_argument("--check", action="store_true", help="compare with the committed files")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                    help="plain-text copy of the decision")
    args = ap.parse_args()

    files, sets, bad = derive(args.source)
    if bad:
        print("invariants broken:", file=sys.stderr)
        for b in bad:
            print("  " + b, file=sys.stderr)
        return 1
    if args.write:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (OUT_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {len(files)} files to {OUT_DIR}")
        print_errata(sets)
        return 0
    problems = []
    for name, text in files.items():
        path = OUT_DIR / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(diff_summary(name, text, path.read_text(encoding="utf-8")))
    extra = sorted(p.name for p in OUT_DIR.glob("*.json") if p.name not in files)
    problems += [f"{name}: not derived from the source" for name in extra]
    if problems:
        print("committed rules differ from the source:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{len(sets)} product sets re-derived: identical")
    print_errata(sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
