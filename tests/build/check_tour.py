#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Keeps docs/tour.md true: every file and function it names exists, and every line count it gives
is within 10 % of the real one.

The tour names a file as `path` (N lines) and a function, type or label of the file named last
before it as `name` (N lines): `Pipe::read_from`, `struct Task`, `class PageTable`, `SECTIONS`
(linker.ld), `keel_trap_entry` (a label in a .S file), `.macro paging_on`. A length is the lines from
the one holding the name to the closing brace (or, in assembly, to the line before the next global
label, or to `.endm`). Backticked check names (snake_case with four words or more) must be a check
in tests/qemu/*.py or a host test's name.

    tests/build/check_tour.py [--tour docs/tour.md]          check; list every difference
    tests/build/check_tour.py --fix                          rewrite the counts to the real ones
"""
import argparse
import glob
import math
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from lab_source import definitions, mask, matching  # noqa: E402
COUNTED = re.compile(r"`([^`]+)`\s+\((\d[\d,]*) lines?\)")
CHECK_NAME = re.compile(r"`([a-z0-9]+(?:_[a-z0-9]+){3,})`")
FILE_LIKE = re.compile(r"^[\w./-]+\.(?:cpp|h|S|c|ld|py|md|cmake|dot|txt)$|^[\w.-]+/[\w./-]+$")


def file_lines(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read().splitlines()


def c_lengths(lines, name):
    """Lengths of every definition of a C/C++ function, type or block called `name`, found as
    scripts/lab_source.py finds a lab's functions (comments and literals masked, braces matched)."""
    text = "\n".join(lines) + "\n"
    kind = re.match(r"^(struct|class|enum class|enum|union|namespace) (\S+)$", name)
    if kind or name == "SECTIONS":
        masked = mask(text)
        pattern = rf"\b{kind[1]} {re.escape(kind[2])}\b" if kind else r"^SECTIONS\b"
        spans = []
        for match in re.finditer(pattern, masked, re.M):
            brace = re.compile(r"[^;{]*\{").match(masked, match.end())  # a definition, not `struct X;`
            if brace:
                line_start = masked.rfind("\n", 0, match.start()) + 1
                spans.append((line_start, matching(masked, brace.end() - 1, "{", "}")))
    else:
        # A member defined outside its class is named by its last part: `allocate` is
        # `LinearAllocator::allocate` too.
        names = {name} | set(re.findall(rf"\b(\w+::{re.escape(name)})\s*\(", text))
        spans = [(line_start, end) for full in names for line_start, _, end in definitions(text, full)]
    return [text.count("\n", start, end - 1) + 1 for start, end in spans if end > 0]


def asm_lengths(lines, name):
    """Lengths of a global label (to the line before the next one) or of an assembler macro."""
    if name.startswith(".macro "):
        start = next((i for i, l in enumerate(lines) if re.match(rf"\s*{re.escape(name)}\b", l)), None)
        if start is None:
            return []
        end = next((i for i in range(start, len(lines)) if lines[i].strip().startswith(".endm")), None)
        return [] if end is None else [end - start + 1]
    label = re.compile(r"^([A-Za-z_]\w*):")
    start = next((i for i, l in enumerate(lines) if l.startswith(name + ":")), None)
    if start is None:
        return []
    end = next((i for i in range(start + 1, len(lines)) if label.match(lines[i])), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(("//", "#", "/*", "*", ".global", ".globl", ".type", ".balign", ".align", ".section"))):
        end -= 1
    return [end - start]


def within(stated, real):
    return abs(stated - real) <= math.floor(stated * 0.1)


def check_names():
    names = set()
    for path in glob.glob(os.path.join(ROOT, "tests", "qemu", "*.py")):
        with open(path, encoding="utf-8") as handle:
            names.update(re.findall(r"^def ([a-z0-9_]+)\(", handle.read(), re.M))
    for path in glob.glob(os.path.join(ROOT, "tests", "host", "*.cpp")):
        with open(path, encoding="utf-8") as handle:
            names.update(re.findall(r"TEST(?:_F)?\(\s*\w+\s*,\s*(\w+)\)", handle.read()))
    return names


def review(text):
    """(problems, fixes): fixes maps a count's span in the text to the real count."""
    problems, fixes, current = [], {}, None
    known_checks = check_names()
    chapters = {}  # chapter number: [files seen, their lines, the functions' lines]
    chapter_at = [(m.start(), int(m.group(1))) for m in re.finditer(r"^## (\d+)\. ", text, re.M)]
    chapter_at += [(m.start(), None) for m in re.finditer(r"^## (?!\d+\. )", text, re.M)]
    chapter_at.sort()
    headings = [m.start() for m in re.finditer(r"^#", text, re.M)]
    counted = list(COUNTED.finditer(text))
    for match in counted:
        number = text.count("\n", 0, match.start()) + 1
        if current and any(current[1] < h < match.start() for h in headings):
            current = None
        name, stated = " ".join(match.group(1).split()), int(match.group(2).replace(",", ""))
        if FILE_LIKE.match(name):
            if not os.path.isfile(os.path.join(ROOT, name)):
                problems.append(f"line {number}: {name}: no such file")
                current = None
                continue
            current = (name, match.start())
            real = len(file_lines(name))
            tally = chapter_tally(chapters, chapter_at, match.start())
            if tally is not None and name not in tally[0]:
                tally[0].add(name)
                tally[1] += real
        elif current is None:
            problems.append(f"line {number}: `{name}` has no file named before it")
            continue
        else:
            lines = file_lines(current[0])
            found = asm_lengths(lines, name) if current[0].endswith(".S") else c_lengths(lines, name)
            if not found:
                problems.append(f"line {number}: `{name}` not found in {current[0]}")
                continue
            real = min(found, key=lambda n: abs(n - stated))
            tally = chapter_tally(chapters, chapter_at, match.start())
            if tally is not None:
                tally[2] += real
        if not within(stated, real):
            problems.append(f"line {number}: `{name}` says {stated} lines, is {real}")
        if stated != real:
            fixes[match.span(2)] = real
    names_counted = {" ".join(m.group(1).split()) for m in counted}
    for match in CHECK_NAME.finditer(text):
        if match.group(1) not in known_checks and match.group(1) not in names_counted:
            number = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {number}: check `{match.group(1)}` is in no test")
    check_table(text, chapters, problems, fixes)
    return problems, fixes


def chapter_tally(chapters, chapter_at, offset):
    """The running sums of the numbered chapter holding offset, or None outside one."""
    number = None
    for start, chapter in chapter_at:
        if start > offset:
            break
        number = chapter
    if number is None:
        return None
    return chapters.setdefault(number, [set(), 0, 0])


def check_table(text, chapters, problems, fixes):
    """The size table's rows (| N name | files | lines | functions' lines |) against the sums."""
    row = re.compile(r"^\| (\d+) [^|]*\| (\d+) \| ([\d,]+) \| ([\d,]+) \|", re.M)
    for match in row.finditer(text):
        number = int(match.group(1))
        files, lines, functions = chapters.get(number, [set(), 0, 0])
        real = [len(files), lines, functions]
        for group, value in zip((2, 3, 4), real):
            stated = int(match.group(group).replace(",", ""))
            if not within(stated, value) or (group == 2 and stated != value):
                where = text.count("\n", 0, match.start()) + 1
                problems.append(f"line {where}: chapter {number}'s row says {stated}, is {value}")
            if stated != value:
                fixes[match.span(group)] = value


def apply(text, fixes):
    for (start, end), real in sorted(fixes.items(), reverse=True):
        text = text[:start] + f"{real:,}" + text[end:]
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tour", default=os.path.join(ROOT, "docs", "tour.md"))
    parser.add_argument("--fix", action="store_true", help="rewrite every count to the real one")
    args = parser.parse_args()
    with open(args.tour, encoding="utf-8") as handle:
        text = handle.read()
    problems, fixes = review(text)
    if args.fix and fixes:
        with open(args.tour, "w", encoding="utf-8") as handle:
            handle.write(apply(text, fixes))
        print(f"check_tour: rewrote {len(fixes)} counts")
        problems = [p for p in problems if "says" not in p]
    named = len(COUNTED.findall(text))
    for problem in problems:
        print(f"{os.path.relpath(args.tour, ROOT)}: {problem}")
    print(f"check_tour: {named} files and functions named, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
