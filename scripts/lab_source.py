# SPDX-License-Identifier: MIT
"""Finds a C++ function's definition in a source file and blanks its body out (scripts/lab, and
tests/build/check_labs.py, which checks that every lab's function is found exactly once;
tests/build/check_tour.py measures the tour's functions with it).

A definition is the function's name (qualified as the lab table writes it), its parameter list
matching the table's (spaces aside), then only qualifiers (const, override, noexcept, attributes)
before its `{`; its body ends at the matching `}`. Comments, string and character literals are
masked first, so that neither a comment naming the function nor a brace in a string misleads.
"""
import functools
import re

from labs import todo

BUILTIN_TYPES = {"bool", "char", "double", "float", "int", "long", "short", "signed", "unsigned", "void"}


# A comment, or a string or character literal (a ' after a letter or digit is a digit separator,
# as in 1'000, and starts nothing).
LEXEME = re.compile(r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|(?<!\w)'(?:\\.|[^'\\\n])*'", re.S)


@functools.lru_cache(maxsize=64)
def mask(text):
    """`text` with every comment and string or character literal replaced by spaces (newlines
    kept, a literal's quotes too), so that offsets into it are offsets into `text`."""
    def blank(match):
        lexeme = match[0]
        if lexeme[0] in "\"'":
            return lexeme[0] + " " * (len(lexeme) - 2) + lexeme[-1]
        return re.sub(r"[^\n]", " ", lexeme)
    return LEXEME.sub(blank, text)


def normalise(params):
    """A parameter list without the spaces that do not matter."""
    params = re.sub(r"\s+", " ", params).strip()
    return re.sub(r" ?([*&,<>():]) ?", r"\1", params)


def split_params(params):
    """The parameters of a list, split at its top-level commas."""
    parts, depth, current = [], 0, ""
    for ch in params:
        depth += ch in "<([{"
        depth -= ch in ">)]}"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


def param_names(params):
    """The names a parameter list gives (unnamed parameters have none)."""
    names = []
    for param in split_params(params):
        param = param.split("=")[0].strip()
        match = re.search(r"(\w+)$", param)
        words = re.findall(r"\w+", param.replace("const", ""))
        if match and len(words) > 1 and match[1] not in BUILTIN_TYPES:
            names.append(match[1])
    return names


def matching(masked, start, open_ch, close_ch):
    """The offset just past the bracket that closes the one at `start`, or -1."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == open_ch:
            depth += 1
        elif masked[i] == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def definitions(text, name, params=None):
    """Every definition of `name(params)` in `text` (of `name` with any parameters when `params`
    is None), as (line start, `{` offset, offset past `}`)."""
    masked = mask(text)
    pattern = r"(?<![\w:.>])" + r"\s*::\s*".join(map(re.escape, name.split("::"))) + r"\s*\("
    found = []
    for match in re.finditer(pattern, masked):
        close = matching(masked, match.end() - 1, "(", ")")
        if close < 0 or (params is not None and
                         normalise(masked[match.end():close - 1]) != normalise(params)):
            continue
        brace = re.compile(r"[\s\w:&*\[\],]*?\{").match(masked, close)  # qualifiers, then {
        if brace is None:
            continue  # a declaration, a call, or a constructor's initialisers
        open_at = brace.end() - 1
        end = matching(masked, open_at, "{", "}")
        if end < 0:
            continue
        found.append((masked.rfind("\n", 0, match.start()) + 1, open_at, end))
    return found


def find_once(text, path, function):
    """The one definition of `function` in `text` (from `path`); raises LookupError otherwise."""
    found = definitions(text, function.name, function.params)
    if len(found) != 1:
        raise LookupError(f"{path}: {function.name}({function.params}) is defined {len(found)} times "
                          f"(expected once): renamed, moved or overloaded? scripts/labs.py names it")
    return found[0]


def stub_body(lab, function, indent):
    """The blanked body: the lab's note, every parameter used, the kept helpers, the stub."""
    inner = indent + "    "
    lines = [f"{inner}// lab {lab.name}: yours to write ({lab.page})"]
    lines += [f"{inner}(void){name};" for name in param_names(function.params)]
    lines += [f"{inner}(void){helper};  // (the real one calls it: yours may)" for helper in function.keep]
    lines += [inner + line for line in function.stub.replace("{todo}", todo(lab, function)).split("\n")]
    return "{\n" + "\n".join(lines) + "\n" + indent + "}"


def with_include(text, header):
    """`text` with `#include <header>` among its keel includes, unless it has it already."""
    line = f"#include <{header}>"
    if line in text:
        return text
    keel = [m for m in re.finditer(r"^#include <keel/[^>]+>$", text, re.M)]
    after = next((m for m in keel if m[0] > line), None)
    if after is not None:
        return text[:after.start()] + line + "\n" + text[after.start():]
    at = keel[-1].end() + 1 if keel else 0
    return text[:at] + line + "\n" + text[at:]


def blank(text, path, lab, function):
    """`text` with `function`'s body replaced by its stub."""
    line_start, open_at, end = find_once(text, path, function)
    indent = re.match(r"[ \t]*", text[line_start:])[0]
    text = text[:open_at] + stub_body(lab, function, indent) + text[end:]
    if "panic(" in function.stub:
        text = with_include(text, "keel/core/panic.h")
    return text
