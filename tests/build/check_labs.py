#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The labs' table (scripts/labs.py) is true to the tree, without building or grading anything.

Every lab's function is defined exactly once in the file named (as scripts/lab finds it to blank
it out); every check names a ctest entry that exists (a QEMU script of cmake/tests.cmake, a host
suite of tests/host) and, when it names a check inside it, that check exists (a check function the
script can run alone, a run of tests/linux/runs.txt, a case of the suite); each lab's points add
up to 100; docs/labs/README.md links every lab's page, and the page names each of its functions
and checks. Before that it checks itself: each of those defects, made in a copy of the real
inputs, must be caught.
"""
import dataclasses
import functools
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from labs import LABS, Check  # noqa: E402
from lab_source import definitions  # noqa: E402


@functools.lru_cache(maxsize=None)
def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def qemu_scripts(cmake):
    """Each qemu.NAME entry of cmake/tests.cmake and its script ({toolchain} for the toolchain)."""
    found = {}
    for name, script in re.findall(r"keel_qemu_test\(([\w.${}-]+)\s+(\w+\.py)", cmake):
        name = name.replace("${KEEL_TOOLCHAIN}", "{toolchain}").replace("${KEEL_OTHER_TOOLCHAIN}", "{other}")
        found[f"qemu.{name}"] = script
    return found


def host_cases(read):
    """Each host suite's cases, from TEST/TEST_F/TEST_P in tests/host."""
    cases = {}
    folder = os.path.join(ROOT, "tests", "host")
    for file in sorted(os.listdir(folder)):
        if file.endswith(".cpp"):
            for suite, case in re.findall(r"^TEST(?:_F|_P)?\((\w+),\s*(\w+)\)", read(f"tests/host/{file}"), re.M):
                cases.setdefault(suite, set()).add(case)
    return cases


def check_problem(check, scripts, cases, read):
    """What is wrong with a check (or None)."""
    host = re.match(r"host\.(?:tsan\.)?(\w+)$", check.entry)
    if host:
        suite = host[1]
        if suite not in cases:
            return f"{check.entry}: no suite {suite} in tests/host"
        if check.name and check.name not in cases[suite]:
            return f"{check.entry}: no case {suite}.{check.name} in tests/host"
        return None
    if check.entry not in scripts:
        return f"{check.entry}: no such entry in cmake/tests.cmake"
    if not check.name:
        return None
    script = scripts[check.entry]
    if script == "test_linux.py":
        runs = re.findall(r"^([\w-]+):", read("tests/linux/runs.txt"), re.M)
        return None if check.name in runs else f"{check.entry}: no run {check.name} in tests/linux/runs.txt"
    text = read(f"tests/qemu/{script}")
    if 'add_argument("checks"' not in text:
        return f"{check.entry}: {script} runs whole (it takes no check names)"
    if not re.search(rf"^def {re.escape(check.name)}\(", text, re.M):
        return f"{check.entry}: no check {check.name} in tests/qemu/{script}"
    return None


def problems(labs, read):
    """Everything wrong with the table, the tree and the pages, one line each."""
    found = []
    scripts = qemu_scripts(read("cmake/tests.cmake"))
    cases = host_cases(read)
    index = read("docs/labs/README.md")
    if len({lab.name for lab in labs}) != len(labs):
        found.append("two labs share a name")
    for lab in labs:
        try:
            page = read(lab.page)
        except OSError:
            found.append(f"lab {lab.name}: no page {lab.page}")
            page = ""
        if f"({lab.name}.md)" not in index:
            found.append(f"lab {lab.name}: docs/labs/README.md does not link {lab.name}.md")
        for function in lab.functions:
            count = len(definitions(read(function.path), function.name, function.params))
            if count != 1:
                found.append(f"lab {lab.name}: {function.path} defines {function.name}({function.params}) "
                             f"{count} times, not once")
            if f"`{function.name}`" not in page:
                found.append(f"lab {lab.name}: {lab.page} does not name `{function.name}`")
        for check in lab.checks:
            problem = check_problem(check, scripts, cases, read)
            if problem:
                found.append(f"lab {lab.name}: {problem}")
            named = check.name or check.entry.replace(".{toolchain}", "")
            if f"`{named}`" not in page:
                found.append(f"lab {lab.name}: {lab.page} does not name the check `{named}`")
            if check.points <= 0 or check.deadline <= 0:
                found.append(f"lab {lab.name}: {check.entry} {check.name}: points and deadline must be positive")
        if sum(check.points for check in lab.checks) != 100:
            found.append(f"lab {lab.name}: its points add up to {sum(c.points for c in lab.checks)}, not 100")
    return found


def self_test():
    """The defects the check must see, each made alone in a copy of the real inputs."""
    lab = LABS[0]
    function = lab.functions[0]
    definition = next(iter(definitions(read(function.path), function.name, function.params)))

    def twice(path):
        text = read(path)
        return text + "\n" + text[definition[0]:definition[2]] + "\n" if path == function.path else text

    def unnamed(path):
        return read(path).replace(f"`{function.name}`", "") if path == lab.page else read(path)

    def with_lab(changed):
        return [changed] + LABS[1:]

    first = lab.checks[0]
    cases = {
        "a function defined twice": (LABS, twice),
        "a function renamed": (with_lab(dataclasses.replace(
            lab, functions=[dataclasses.replace(function, name=function.name + "_gone")])), read),
        "a page that does not name its function": (LABS, unnamed),
        "a check that does not exist": (with_lab(dataclasses.replace(
            lab, checks=[Check("qemu.shell", "no_such_check", 100)])), read),
        "a case that does not exist": (with_lab(dataclasses.replace(
            lab, checks=[Check("host.LinearAllocatorTest", "NoSuchCase", 100)])), read),
        "points that do not add up to 100": (with_lab(dataclasses.replace(
            lab, checks=[dataclasses.replace(first, points=first.points + 1)] + lab.checks[1:])), read),
        "a lab without a page": (with_lab(dataclasses.replace(lab, name="nopage")), read),
    }
    missed = [what for what, (labs, reader) in cases.items() if not problems(labs, reader)]
    # And no false alarm: a copy of the definition in a comment is not a second one.
    commented = read(function.path) + "/*\n" + read(function.path)[definition[0]:definition[2]] + "\n*/\n"
    if len(definitions(commented, function.name, function.params)) != 1:
        missed.append("that a definition in a comment is none")
    return missed


def main():
    found = problems(LABS, read)
    for problem in found:
        print(f"FAIL {problem}")
    if found:
        print(f"check_labs: {len(found)} problems (scripts/labs.py, docs/labs)")
        return 1
    missed = self_test()
    for what in missed:
        print(f"FAIL the check does not see {what}")
    if missed:
        return 1
    print(f"check_labs: {len(LABS)} labs, {sum(len(l.functions) for l in LABS)} functions, "
          f"{sum(len(l.checks) for l in LABS)} checks, all found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
