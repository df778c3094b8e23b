#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""docs/pictures: every picture renders cleanly, is listed, and says what the source says.

Each docs/pictures/NAME.dot goes through Graphviz (`dot -Tsvg`): it must exit 0, print nothing
(a warning is a failure: dot ignores a misspelt attribute with one), and give a well-formed SVG
with text in it. docs/pictures/README.md names every picture as `NAME.dot`, and none that is
missing; a `pictures/NAME.dot` in docs/ or the README must exist.

The numbers: wherever a picture writes `NAME = value` (its HTML tags dropped) and NAME looks like
a constant (KEEL_..., kName, or UPPER_CASE with an underscore), NAME must be defined in include/
or src/ (`#define NAME expr`, `constexpr T NAME = expr;`, or an enumerator `NAME = expr`; a
header's definition goes before a source file's own), and the value (hex, decimal, or N KiB, MiB,
GiB) must be what that expression comes to. With --nm and --kernel, the memory map's `virtual`
table is checked against keel.elf's symbols: each row's symbols lie at or above those of every
row drawn under it (higher addresses on top).

Before all that it checks itself: a changed number, a warning from dot, an unlisted picture and
(with --kernel) a symbol drawn in the wrong row, each made in a copy, must be caught.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PICTURES = os.path.join("docs", "pictures")
INSTALL_HINT = "install Graphviz: scripts/install-deps.sh (Debian: apt-get install graphviz)"
MEMORY_MAP_MIN_CHECKED = 10  # the memory map's numbers are its point: so many stay checked

CONSTANT = r"KEEL_[A-Z0-9_]+|k[A-Z][A-Za-z0-9]*|[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]"
VALUE = r"0x[0-9a-fA-F_]+|[0-9][0-9_,]*"
CLAIM = re.compile(rf"\b({CONSTANT})\s*=\s*({VALUE})(?:\s*(KiB|MiB|GiB)\b)?")
UNITS = {"": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}
HTML_TAG = re.compile(r"</?(?:b|i|u|s|o|br|font|table|tr|td|sub|sup|hr|vr|img)\b[^<>]*>", re.I)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def pictures(root):
    return sorted(glob.glob(os.path.join(root, PICTURES, "*.dot")))


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def plain_text(dot_source):
    """A picture's words: the tags of its HTML-like labels and dot's escapes (\\n) made spaces."""
    text = HTML_TAG.sub(" ", dot_source)
    text = re.sub(r"\\[nlr]", " ", text)
    text = text.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def render(dot, path):
    """What is wrong with `path` as dot renders it; nothing when it gives a clean SVG."""
    try:
        run = subprocess.run([dot, "-Tsvg", path], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return [f"{path}: dot took over 60 s"]
    problems = []
    if run.returncode != 0:
        problems.append(f"{path}: dot exited {run.returncode}")
    if run.stderr.strip():
        problems.append(f"{path}: dot printed:\n{run.stderr.decode(errors='replace').rstrip()}")
    try:
        svg = ET.fromstring(run.stdout)
    except ET.ParseError as error:
        return problems + [f"{path}: dot's output is no well-formed XML: {error}"]
    if svg.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        problems.append(f"{path}: dot's output is <{svg.tag}>, not <svg>")
    elif not any(e.tag.endswith("text") and e.text for e in svg.iter()):
        problems.append(f"{path}: the SVG has no text in it")
    return problems


def listing_problems(root):
    """Pictures README.md does not list, or lists but are missing; docs naming missing ones."""
    names = {name_of(p) for p in pictures(root)}
    readme = os.path.join(root, PICTURES, "README.md")
    if not os.path.exists(readme):
        return [f"{PICTURES}/README.md is missing: it lists every picture"]
    listed = set(re.findall(r"\b([\w-]+)\.dot\b", read(readme)))
    problems = [f"{PICTURES}/README.md does not list {n}.dot" for n in sorted(names - listed)]
    problems += [f"{PICTURES}/README.md lists {n}.dot, which is not there"
                 for n in sorted(listed - names)]
    docs = glob.glob(os.path.join(root, "docs", "**", "*.md"), recursive=True)
    docs += [os.path.join(root, "README.md")]
    for doc in filter(os.path.exists, docs):
        for name in sorted(set(re.findall(r"pictures/([\w-]+)\.dot\b", read(doc))) - names):
            problems.append(f"{os.path.relpath(doc, root)} names pictures/{name}.dot, "
                            "which is not there")
    return problems


def definitions(root):
    """Each `#define NAME expr`, `constexpr T NAME = expr;` and enumerator `NAME = expr` of
    include/ and src/: {name: [(expr, whether it is in include/)]}."""
    found = {}
    files = []
    for top in ("include", "src"):
        for suffix in ("h", "cpp", "S"):
            files += glob.glob(os.path.join(root, top, "**", f"*.{suffix}"), recursive=True)
    for path in files:
        public = os.path.relpath(path, root).startswith("include")
        text = re.sub(r"/\*.*?\*/", " ", read(path), flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        pairs = re.findall(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+([^\n]+)", text, re.M)
        pairs += re.findall(r"\bconstexpr\s+[\w:<> ]+?\s+(\w+)\s*=\s*([^;]+);", text)
        enum = r"\benum\s+(?:class\s+)?\w+\s*(?::\s*\w+\s*)?\{([^{}]*)\}"
        for body in re.findall(enum, text):
            pairs += re.findall(r"\b(\w+)\s*=\s*([^,]+)", body)
        for name, expr in pairs:
            found.setdefault(name, []).append((expr.strip(), public))
    return found


def evaluate(expr, defs, seen):
    """The value of a C/C++ integer constant expression over `defs`; ValueError if it is none."""
    text = re.sub(r"\b(?:u?int(?:8|16|32|64)_t|uintptr_t|size_t|unsigned)\s*\{([^{}]*)\}",
                  r"(\1)", expr)
    text = re.sub(r"static_cast<[^<>]*>", "", text)
    text = re.sub(r"\b(?:\w+::)+(\w+)", r"\1", text)  # memlayout::kUserTop: kUserTop
    text = re.sub(r"\b(0x[0-9a-fA-F']+|[0-9][0-9']*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU])\b",
                  lambda m: m[1].replace("'", ""), text)

    def name(match):
        word = match[1]
        if word in seen or word not in defs:
            raise ValueError(f"{word} has no definition")
        return f"({value_of(word, defs, seen + (word,))})"

    text = re.sub(r"\b([A-Za-z_]\w*)\b", name, text)
    if not re.fullmatch(r"[0-9a-fA-Fx()+\-*/%<>|&~ \t]*", text):
        raise ValueError(f"not an integer expression: {expr}")
    return int(eval(text.replace("/", "//")))  # nothing but numbers and operators is left


def value_of(name, defs, seen=()):
    """NAME's value: its headers' definitions (the interface) before the source files' own."""
    for public in (True, False):
        values = set()
        for expr, in_header in defs.get(name, []):
            if in_header == public:
                try:
                    values.add(evaluate(expr, defs, seen or (name,)))
                except (ValueError, SyntaxError, ZeroDivisionError):
                    pass
        if len(values) > 1:
            raise ValueError(f"{name} has definitions of different values: {sorted(values)}")
        if values:
            return values.pop()
    raise ValueError(f"{name} has no definition that is an integer constant")


def number_problems(path, text, defs):
    """What is wrong with the picture's `NAME = value`s, and how many were checked."""
    problems, checked = [], 0
    for match in CLAIM.finditer(plain_text(text)):
        name, digits = match[1], match[2].replace("_", "").replace(",", "")
        claimed = int(digits, 16 if digits.startswith("0x") else 10) * UNITS[match[3] or ""]
        try:
            actual = value_of(name, defs)
        except ValueError as error:
            problems.append(f"{path}: '{match[0]}': {error}")
            continue
        checked += 1
        if actual != claimed:
            problems.append(f"{path}: '{match[0]}', but the source makes {name} "
                            f"{actual:#x} ({actual})")
    return problems, checked


def symbols(nm, kernel):
    run = subprocess.run([nm, kernel], capture_output=True, text=True, check=True, timeout=60)
    table = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table.setdefault(parts[2], int(parts[0], 16))
    return table


def order_problems(path, text, table):
    """The `virtual` table's rows, top to bottom: each row's symbols (words with a _ or $ that
    keel.elf defines) at or above those of every row under it. Also how many were placed."""
    node = re.search(r"\bvirtual\s*\[label=<(.*?)>\];", text, re.S)
    if node is None:
        return [f"{path}: no `virtual` table"], 0
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", node[1], re.S):
        words = re.findall(r"[A-Za-z_$][\w$]*", plain_text(row))
        found = {w: table[w] for w in words if ("_" in w or "$" in w) and w in table}
        if found:
            rows.append(found)
    problems = []
    for i, upper in enumerate(rows):
        low = min(upper, key=upper.get)
        for lower in rows[i + 1:]:
            high = max(lower, key=lower.get)
            if upper[low] < lower[high]:
                problems.append(f"{path}: {low} ({upper[low]:#x}) is drawn above {high} "
                                f"({lower[high]:#x}), which lies higher")
    return problems, sum(len(r) for r in rows)


def check(root, dot, defs, table, quiet=False):
    paths = pictures(root)
    if not paths:
        return [f"no pictures in {os.path.join(root, PICTURES)}"]
    problems = []
    for path in paths:
        shown, text = os.path.relpath(path, root), read(path)
        problems += render(dot, path)
        found, checked = number_problems(shown, text, defs)
        problems += found
        line = f"{name_of(path)}: renders, {checked} numbers checked"
        if name_of(path) == "memory-map":
            if checked < MEMORY_MAP_MIN_CHECKED:
                problems.append(f"{shown}: {checked} numbers checked, fewer than "
                                f"{MEMORY_MAP_MIN_CHECKED}")
            if table is not None:
                found, placed = order_problems(shown, text, table)
                problems += found
                line += f", {placed} symbols in address order"
        if not quiet:
            print(line)
    return problems + listing_problems(root)


def self_check(dot, defs, table, scratch):
    """Each defect, made in a copy of the pictures, must be caught."""
    def broken(name, old, new):
        if os.path.exists(scratch):
            shutil.rmtree(scratch)
        folder = os.path.join(scratch, PICTURES)
        shutil.copytree(os.path.join(ROOT, PICTURES), folder)
        path = os.path.join(folder, name)
        text = read(path)
        assert old in text, f"self-check: {old!r} is not in {name}"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
        return check(scratch, dot, defs, table, quiet=True)

    defects = {
        "a changed number": ("memory-map.dot", "= 0xffff_ffc0", "= 0xffff_ffd0", "but the source"),
        "a warning from dot": ("boot.dot", '<br align="left"/>', '<br balign="left"/>',
                               "dot printed"),
        "an unlisted picture": ("README.md", "`trap.dot`", "`trap.svg`", "does not list"),
    }
    if table is not None:
        defects["a symbol in the wrong row"] = (
            "memory-map.dot", "__bss_start: .sbss", "__bss_start: .sbss, early_root", "drawn above")
    missed = []
    for what, (name, old, new, said) in defects.items():
        if not any(said in problem for problem in broken(name, old, new)):
            missed.append(what)
    shutil.rmtree(scratch, ignore_errors=True)
    return [f"self-check: {what} was not caught" for what in missed]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dot", default="dot", help="Graphviz's dot (default: dot on PATH)")
    parser.add_argument("--nm", help="the nm that reads --kernel")
    parser.add_argument("--kernel", help="keel.elf: its symbols against the memory map's rows")
    parser.add_argument("--scratch", help="a directory for the self-check's copies "
                                          "(default: build/check-pictures)")
    args = parser.parse_args()
    dot = shutil.which(args.dot)
    if dot is None:
        sys.exit(f"check_pictures: no `{args.dot}`: {INSTALL_HINT}")
    table = None
    if args.kernel:
        if not args.nm or not os.path.exists(args.kernel):
            sys.exit(f"check_pictures: --kernel {args.kernel}: it must exist, and --nm be given")
        table = symbols(args.nm, args.kernel)
    defs = definitions(ROOT)
    scratch = args.scratch or os.path.join(ROOT, "build", "check-pictures")
    problems = self_check(dot, defs, table, scratch) + check(ROOT, dot, defs, table)
    for problem in problems:
        print(f"FAIL: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
