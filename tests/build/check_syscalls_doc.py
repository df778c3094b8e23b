#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/syscalls.md's table names the calls keel implements, each by its Linux number.

The calls are KEEL_IMPLEMENTED_SYSCALLS in include/keel/kernel/syscall_table.h (the list the
dispatch table is made from), their numbers the SYS_ (or __NR_) defines of
include/keel/abi/syscalls.h. The doc's table is the one whose header starts `| # | call |`; a row
may hold several calls, its numbers comma-separated or as ranges (`174-177`), paired with its calls
in order. Fails, saying what differs, when an implemented call has no row, a row names a call that
is not implemented (or twice), a row's number is not its call's, or the rows are out of number
order. Before that it checks itself: each of those defects, made in a copy of the real inputs,
must be caught.
"""
import argparse
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TABLE_HEADER = os.path.join("include", "keel", "kernel", "syscall_table.h")
NUMBERS_HEADER = os.path.join("include", "keel", "abi", "syscalls.h")
DOC = os.path.join("docs", "syscalls.md")


def read(root, path):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        return f.read()


def implemented_calls(text):
    """The names in `#define KEEL_IMPLEMENTED_SYSCALLS(X) X(a) X(b) ...`, backslash-continued."""
    match = re.search(r"#define KEEL_IMPLEMENTED_SYSCALLS\(X\)((?:[^\n]*\\\n)*[^\n]*)", text)
    if match is None:
        sys.exit(f"check_syscalls_doc: no KEEL_IMPLEMENTED_SYSCALLS(X) in {TABLE_HEADER}")
    return re.findall(r"\bX\((\w+)\)", match[1])


def call_numbers(text):
    """Each call's number, from `#define SYS_name N` (or `__NR_name N`)."""
    numbers = {}
    for name, number in re.findall(r"^#define (?:SYS|__NR)_(\w+)\s+(\d+)\s*$", text, re.M):
        numbers[name] = int(number)
    if not numbers:
        sys.exit(f"check_syscalls_doc: no SYS_ numbers in {NUMBERS_HEADER}")
    return numbers


def doc_rows(text):
    """The table's rows as (line number, [numbers], [calls], problem or None)."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"\|\s*#\s*\|\s*call\s*\|", line)), None)
    if start is None:
        sys.exit(f"check_syscalls_doc: no table with a `| # | call |` header in {DOC}")
    rows = []
    for index in range(start + 2, len(lines)):  # past the header and its |---| line
        line = lines[index]
        if not line.startswith("|"):
            break
        cells = line.split("|", 3)  # only the first two cells matter: later ones hold prose
        if len(cells) < 4:
            rows.append((index + 1, [], [], "fewer than two cells"))
            continue
        numbers, problem = [], None
        for part in cells[1].split(","):
            part = part.strip()
            span = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
            if span and int(span[1]) < int(span[2]):
                numbers += range(int(span[1]), int(span[2]) + 1)
            elif part.isdigit():
                numbers.append(int(part))
            else:
                problem = f"`{part}` in the # column is neither a number nor a range"
        calls = [name.strip().strip("`") for name in cells[2].split(",") if name.strip()]
        rows.append((index + 1, numbers, calls, problem))
    return rows


def differences(implemented, numbers, rows):
    """What the doc's rows get wrong against the implemented calls and their numbers."""
    found = []
    for name in implemented:
        if name not in numbers:
            found.append(f"{name} is implemented but has no SYS_{name} in {NUMBERS_HEADER}")
    documented = {}
    previous = None
    for line, row_numbers, calls, problem in rows:
        where = f"{DOC}:{line}"
        if problem is not None:
            found.append(f"{where}: {problem}")
            continue
        if len(row_numbers) != len(calls):
            found.append(f"{where}: {len(row_numbers)} numbers for {len(calls)} calls ({', '.join(calls)})")
        for position, name in enumerate(calls):
            if name in documented:
                found.append(f"{where}: {name} has a row already, at line {documented[name]}")
                continue
            documented[name] = line
            if name not in implemented:
                known = "" if name in numbers else " (nor a Linux call keel knows)"
                found.append(f"{where}: {name} is not implemented{known}")
            if name in numbers and position < len(row_numbers) and row_numbers[position] != numbers[name]:
                found.append(f"{where}: {name} is {numbers[name]}, the row says {row_numbers[position]}")
        if row_numbers:
            if previous is not None and row_numbers[0] <= previous:
                found.append(f"{where}: out of number order ({row_numbers[0]} after {previous})")
            previous = row_numbers[0]
    for name in implemented:
        if name not in documented:
            where = f" ({numbers[name]})" if name in numbers else ""
            found.append(f"{name}{where} is implemented but has no row in {DOC}")
    return found


def self_test(implemented, numbers, rows):
    """Each defect, made in a copy of the real inputs, is caught: the names of those that are not."""
    target = next(i for i, row in enumerate(rows) if len(row[2]) == 1)  # a row of one call
    line, row_numbers, calls, _ = rows[target]
    without_row = rows[:target] + rows[target + 1:]
    not_implemented = [name for name in implemented if name != calls[0]]
    wrong_number = list(rows)
    wrong_number[target] = (line, [row_numbers[0] + 1], calls, None)
    swapped = list(rows)
    swapped[target], swapped[target + 1] = rows[target + 1], rows[target]
    cases = {
        "an implemented call with no row": (implemented, without_row),
        "a row naming a call that is not implemented": (not_implemented, rows),
        "a row whose number is not its call's": (implemented, wrong_number),
        "rows out of number order": (implemented, swapped),
    }
    return [what for what, (calls_now, rows_now) in cases.items() if not differences(calls_now, numbers, rows_now)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=ROOT, help="the source tree (default: this script's)")
    args = parser.parse_args()
    implemented = implemented_calls(read(args.root, TABLE_HEADER))
    numbers = call_numbers(read(args.root, NUMBERS_HEADER))
    rows = doc_rows(read(args.root, DOC))

    found = differences(implemented, numbers, rows)
    for difference in found:
        print(f"FAIL {difference}")
    if found:
        print(f"check_syscalls_doc: {len(found)} differences between {DOC} and {TABLE_HEADER}")
        return 1
    missed = self_test(implemented, numbers, rows)  # on agreeing inputs, so each defect is the only one
    for what in missed:
        print(f"FAIL the check does not see {what}")
    if missed:
        return 1
    documented = sum(len(calls) for _, _, calls, _ in rows)
    print(f"check_syscalls_doc: {len(implemented)} implemented calls, {documented} in {len(rows)} rows of {DOC}, "
          "every number right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
