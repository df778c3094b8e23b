#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The console as a terminal: Debian's busybox ash (keel's `sh`) typed at as a person would, one
line at a time, with raw control keys (Ctrl-C, Ctrl-Z), arrows as escape sequences and Tab; and
keel's own `run` stopped by Ctrl-Z.

ash must find a terminal with job control (no "can't access tty"); edit lines, recall history,
complete a command; end its foreground job on Ctrl-C (status 130), stop it on Ctrl-Z and resume it
with `fg`; kill and wait for a background job; run pipes into files; run a trap on a signal to
itself; and see a background reader stopped by SIGTTIN, which a SIGTERM leaves stopped until
SIGCONT (what ash prints is Linux's, as Debian's busybox prints it on Linux in a pty). `exit` comes
back to `keel> ` with every page given back. One boot; each check reports on its own."""
import argparse
import re
import time

from harness import JOB_STARTS, KeelShell, run_checks

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True, help="the build's initrd.cpio (with busybox)")
parser.add_argument("checks", nargs="*", help="run only these checks")
args = parser.parse_args()

CTRL_C, CTRL_Z, BACKSPACE, UP, TAB = b"\x03", b"\x1a", b"\x7f", b"\x1b[A", b"\t"
ASH_PROMPT = rb"(?<=\n)keel:/[^\n#]*# "  # /etc/profile's PS1 '\h:\w\$ ', as root, at the start of a line
KEEL_PROMPT = rb"\nkeel> "


class Session:
    """One boot of keel with its shell, shared by the checks; `counters` is mem's before `sh`."""
    sh = None
    counters = None
    in_ash = False
    dirty = False  # a check failed: what it left behind is cleared before the next one
    syncs = 0


def counters(sh):
    """mem's free pages, the caches' pages and the root tmpfs's pages of data (as qemu.files)."""
    mem = sh.run("mem")
    free = int(re.search(r"^pages: total \d+, reserved \d+, free (\d+),", mem, re.M)[1])
    caches = int(re.search(r"^caches: (\d+) pages", mem, re.M)[1])
    files = int(re.search(r"^files: tmpfs at / holds (\d+) pages of data", mem, re.M)[1])
    return free, caches, files


def keel():
    """The shell, booted on first use (at `keel> `, mem's counters taken)."""
    if Session.sh is None:
        Session.sh = KeelShell(args.kernel, extra=["-initrd", args.initrd], deadline=110)
        Session.counters = counters(Session.sh)
    return Session.sh


def start_ash():
    """Types `sh` at `keel> `; returns what came before ash's first prompt."""
    sh = keel()
    start = len(sh.output)
    sh.type("sh\r")
    sh.expect(ASH_PROMPT, timeout=15)
    Session.in_ash = True
    return sh.text(start)


def ash():
    """ash at its prompt, ready for a line: started if it is not running; after a failed check,
    whatever that left in the foreground is interrupted and its jobs killed."""
    sh = keel()
    if not Session.in_ash:
        start_ash()
    if Session.dirty:
        Session.dirty = False
        Session.syncs += 1
        sh.send(CTRL_C)
        time.sleep(0.5)
        sh.type(f"for j in 1 2 3; do kill -9 %$j; done 2>/dev/null; wait; echo sync-{Session.syncs}\r")
        sh.expect(rf"\nsync-{Session.syncs}\n~ # ".encode(), timeout=10)
    return sh


def line(text, timeout=10):
    """Types `text` and Enter at ash's prompt; returns what came between the echoed line and the
    next prompt."""
    sh = Session.sh
    start = sh.cursor
    sh.type(text + "\r")
    match = sh.expect(ASH_PROMPT, timeout)
    out = sh.output[start:match.start()].decode("utf-8", "replace")
    return out.split("\n", 1)[1] if "\n" in out else ""


def status():
    return line("echo $?").strip()


def recent():
    """The console's last lines, for a failure's message."""
    return "\n--- the console's last lines ---\n" + Session.sh.text()[-800:]


def check(function):
    """A check of the shared boot: a failure marks the session for cleaning before the next."""
    def run():
        try:
            function()
        except BaseException:
            Session.dirty = True
            raise
    run.__name__ = function.__name__
    return run


@check
def sh_starts_ash_with_job_control():
    if Session.in_ash:
        return
    out = start_ash()
    assert "built-in shell (ash)" in out, out
    assert "job control turned off" not in out and "can't access tty" not in out, out
    assert line("echo ready") == "ready\n", recent()


@check
def line_editing_history_and_tab_completion():
    sh = ash()
    sh.type("echo abcX")
    sh.send(BACKSPACE)
    sh.type("d\r")
    match = sh.expect(ASH_PROMPT)
    assert sh.output[:match.start()].endswith(b"\nabcd\n"), recent()
    # Up recalls the line just run (ash redraws it), Enter runs it again.
    start = sh.cursor
    sh.send(UP)
    sh.expect(rb"echo abcd")
    sh.type("\r")
    match = sh.expect(ASH_PROMPT)
    assert sh.output[start:match.start()].endswith(b"\nabcd\n"), recent()
    # basename is the only command that starts with "basen" (build/busybox-applets.txt).
    start = sh.cursor
    sh.type("basen")
    sh.send(TAB)
    sh.expect(rb"basename ")
    sh.type("/a/b/c\r")
    match = sh.expect(ASH_PROMPT)
    assert sh.output[start:match.start()].endswith(b"\nc\n"), recent()


@check
def ctrl_c_ends_the_foreground_job_with_status_130():
    sh = ash()
    sh.type("sleep 100\r")
    sh.expect(rb"sleep 100\n")
    time.sleep(JOB_STARTS)
    sent = time.monotonic()
    sh.send(CTRL_C)
    sh.expect(rb"\^C\n")  # the line discipline's echo
    sh.expect(ASH_PROMPT, timeout=10)
    took = time.monotonic() - sent
    assert took < 3, f"the prompt came back {took:.1f} s after Ctrl-C"
    assert status() == "130", recent()


@check
def ctrl_z_stops_the_job_and_fg_resumes_it():
    sh = ash()
    sh.type("sleep 100\r")
    sh.expect(rb"sleep 100\n")
    time.sleep(JOB_STARTS)
    sh.send(CTRL_Z)
    sh.expect(rb"\[1\]\+ +Stopped +sleep 100\n", timeout=5)
    sh.expect(ASH_PROMPT)
    assert status() == "148", recent()  # 128 + SIGTSTP
    assert re.fullmatch(r"\[1\]\+ +Stopped +sleep 100\n", line("jobs")), recent()
    sh.type("fg\r")
    sh.expect(rb"fg\nsleep 100\n")
    time.sleep(JOB_STARTS)
    assert not re.search(ASH_PROMPT, sh.output[sh.cursor:]), "fg came back at once" + recent()
    sh.send(CTRL_C)
    sh.expect(ASH_PROMPT, timeout=5)
    assert status() == "130", recent()
    assert line("jobs") == "", recent()


@check
def a_background_job_is_killed_and_waited_for():
    ash()
    assert line("sleep 100 &") == "", recent()
    # (Until its child has set SIGTERM back to the default, ash's own "ignore" holds.)
    time.sleep(JOB_STARTS)
    out = line("kill %1")
    out += line("wait")  # ash says the job's end before one of the two prompts
    assert re.search(r"^\[1\]\+ +Terminated +sleep 100$", out, re.M), recent()
    assert status() == "0", recent()
    assert line("jobs") == "", recent()


@check
def a_pipe_into_a_file_counts_the_root():
    ash()
    count = line("ls / | wc -l > /tmp/n; cat /tmp/n")
    names = line("ls /").split()
    assert re.fullmatch(r"\d+\n", count), recent()
    assert int(count) == len(names) and "bin" in names and "tmp" in names, recent()
    assert line("rm /tmp/n") == "", recent()


@check
def a_trap_runs_on_a_signal_the_shell_sends_itself():
    ash()
    assert line("trap 'echo got USR1' USR1; kill -USR1 $$") == "got USR1\n", recent()
    assert line("trap - USR1") == "", recent()


def hold_with_ctrl_s(sh, start, seconds):
    """Ctrl-S; then, once what was on its way has come, no new line for `seconds`."""
    sh.send(b"\x13")
    time.sleep(0.5)
    held = sh.output.count(b"\n", start)
    time.sleep(seconds)
    assert sh.output.count(b"\n", start) == held, f"output went on after Ctrl-S{recent()}"


@check
def ctrl_s_holds_output_until_ctrl_q():
    # IXON, as a terminal has it by default: after Ctrl-S a program's writes wait; Ctrl-Q lets
    # them go, none lost.
    sh = ash()
    start = sh.cursor
    sh.type("i=0; while [ $i -lt 30 ]; do echo tick$i; i=$((i+1)); sleep 0.05; done\r")
    sh.expect(rb"tick2\n")
    hold_with_ctrl_s(sh, start, 1.5)
    sh.send(b"\x11")  # Ctrl-Q
    sh.expect(rb"tick29\n", timeout=10)
    sh.expect(ASH_PROMPT, timeout=10)
    ticks = [int(n) for n in re.findall(rb"tick(\d+)\n", sh.output[start:])]
    assert ticks == list(range(30)), f"{ticks}{recent()}"


@check
def ctrl_s_holds_a_write_that_may_not_wait_with_eagain_until_ctrl_q():
    # O_NONBLOCK after Ctrl-S: the write says EAGAIN, and poll says POLLOUT only after Ctrl-Q
    # (Linux: the UART's buffer fills while the output is stopped and stays full until START).
    sh = ash()
    sh.type("nbwrite 4000000\r")
    sh.expect(rb"\n00000001\n")
    sh.send(b"\x13")  # Ctrl-S
    time.sleep(1.5)
    sh.send(b"\x11")  # Ctrl-Q
    said = sh.expect(rb"nbwrite: \d+ bytes(, then EAGAIN; POLLOUT came after (\d+) ms|.*)\n", timeout=30)
    assert said[2] is not None, said[0]
    assert int(said[2]) >= 1000, f"POLLOUT {said[2]} ms after EAGAIN, before Ctrl-Q{recent()}"
    sh.expect(ASH_PROMPT, timeout=10)


@check
def output_held_by_ctrl_s_goes_on_when_ixon_is_turned_off():
    # A job that ignores SIGTTOU may change the settings from the background: `stty -ixon` then
    # lets the foreground's held output go without Ctrl-Q (Linux's n_tty_set_termios starts the
    # terminal), and nothing else wakes its writer here: no key is typed.
    sh = ash()
    start = sh.cursor
    sh.type("(trap '' TTOU; sleep 2; stty -ixon) & seq 1 20000; stty ixon\r")
    sh.expect(rb"\n2\n")
    hold_with_ctrl_s(sh, start, 0.5)
    assert b"\n20000\n" not in sh.output[start:], f"seq ended before Ctrl-S held it{recent()}"
    sh.expect(rb"\n20000\n", timeout=20)
    sh.expect(ASH_PROMPT, timeout=10)
    numbers = re.findall(rb"^(\d+)$", sh.output[start:].replace(b"\r", b""), re.M)
    assert [int(n) for n in numbers] == list(range(1, 20001)), recent()
    assert line("stty -a | grep -o ' ixon '") == " ixon \n", recent()


@check
def a_background_reader_is_stopped_by_sigttin():
    ash()
    stopped = r"\[1\]\+ +Stopped \(tty input\) +cat\n"
    line("cat &")  # (ash may say it stopped already, before its next prompt)
    for _ in range(10):  # cat's read is what stops it (ash may say so in the midst of a `jobs`)
        jobs = line("jobs")
        if re.fullmatch(stopped, jobs):
            break
        time.sleep(0.3)
    assert re.fullmatch(stopped, jobs), recent()
    # SIGTERM waits while it is stopped (Linux: only SIGKILL and SIGCONT reach a stopped process).
    line("kill %1")
    time.sleep(0.5)  # time enough to end, were the signal delivered
    assert re.fullmatch(stopped, line("jobs")), recent()
    # SIGCONT: it goes on, and the SIGTERM it kept ends it (ash says so once it has seen it end).
    out = line("kill -CONT %1")
    for _ in range(10):
        if "Terminated" in out:
            break
        time.sleep(0.3)
        out += line("jobs")
    assert re.search(r"^\[1\]\+ +Terminated +cat$", out, re.M), recent()
    assert line("jobs") == "", recent()


@check
def readers_of_one_job_take_whole_lines_in_turn():
    # Three processes of one job read the terminal at once, one read(2) each time (dd). As on
    # Linux, whose n_tty lets one reader at a time take input, each read returns one line, whole,
    # however long (up to 4095 bytes): lines over 256 bytes once went out in pieces to different
    # readers. Each reader keeps what each read returned, then "|".
    sh = ash()
    line('r() { while :; do n=$(dd bs=4096 count=1 2>/dev/null | tee -a /tmp/r$1 | wc -c); '
         'echo "|" >> /tmp/r$1; [ "$n" -gt 0 ] || break; done; }')
    sh.type("exec 3<&0; rm -f /tmp/r?; stty -echo; (r 1 <&3 & r 2 <&3 & r 3; wait); "
            "stty echo; exec 3<&-; echo readers done\r")
    time.sleep(JOB_STARTS)
    typed = [f"line {i:02} " + "abcdefghij"[i % 10] * (100 + 50 * i) for i in range(12)]
    for text in typed:
        sh.type(text + "\r")
    for _ in range(3):  # an end of file for each reader
        time.sleep(0.5)
        sh.send(b"\x04")
    sh.expect(rb"\nreaders done\n" + ASH_PROMPT, timeout=20)
    taken = []
    for reader in (1, 2, 3):
        reads = [r for r in line(f"cat /tmp/r{reader}").split("|\n") if r]
        assert all(r.endswith("\n") and r[:-1] in typed for r in reads), \
            f"reader {reader} read {[r[:12] + '..' + str(len(r)) for r in reads]}{recent()}"
        order = [typed.index(r[:-1]) for r in reads]
        assert order == sorted(order), f"reader {reader} took lines {order}"
        taken += order
    line("rm /tmp/r1 /tmp/r2 /tmp/r3")
    assert sorted(taken) == list(range(len(typed))), f"lines taken: {sorted(taken)}"


@check
def exit_returns_to_keel_with_every_page_back():
    sh = ash()
    start = len(sh.output)
    sh.type("exit\r")
    sh.expect(KEEL_PROMPT, timeout=10)
    Session.in_ash = False
    out = sh.text(start)
    assert "stopped jobs" not in out, out
    assert "job control turned off" not in sh.text() and "can't access tty" not in sh.text()
    assert sh.run("echo keel again") == "keel again\n"
    assert counters(sh) == Session.counters, f"{Session.counters} before sh, {counters(sh)} after"


@check
def ctrl_z_stops_a_program_keel_runs_and_kill_ends_it():
    sh = keel()
    if Session.in_ash:
        exit_returns_to_keel_with_every_page_back()
    before = counters(sh)
    sh.type("run /bin/sleep 100\r")
    sh.expect(rb"run /bin/sleep 100\n")
    time.sleep(JOB_STARTS)
    sh.send(CTRL_Z)
    try:
        stopped = sh.expect(rb"\[pid (\d+)\] stopped\n", timeout=5)
    except AssertionError:
        sh.send(CTRL_C)  # what is left running is ended, for the checks after this one
        sh.expect(KEEL_PROMPT, timeout=10)
        raise
    sh.expect(rb"keel> ")
    pid = stopped[1].decode()
    assert re.search(rf"^ +{pid}  sleep +stopped ", sh.run("ps"), re.M), recent()
    assert sh.run(f"kill {pid}").startswith("kill: "), recent()
    for _ in range(20):
        if not re.search(rf"^ +{pid}  ", sh.run("ps"), re.M):
            break
        time.sleep(0.25)
    else:
        raise AssertionError(f"pid {pid} is still listed after kill:\n{sh.run('ps')}")
    assert counters(sh) == before, f"{before} before run, {counters(sh)} after"


try:
    run_checks([
        sh_starts_ash_with_job_control,
        line_editing_history_and_tab_completion,
        ctrl_c_ends_the_foreground_job_with_status_130,
        ctrl_z_stops_the_job_and_fg_resumes_it,
        a_background_job_is_killed_and_waited_for,
        a_pipe_into_a_file_counts_the_root,
        a_trap_runs_on_a_signal_the_shell_sends_itself,
        ctrl_s_holds_output_until_ctrl_q,
        ctrl_s_holds_a_write_that_may_not_wait_with_eagain_until_ctrl_q,
        output_held_by_ctrl_s_goes_on_when_ixon_is_turned_off,
        a_background_reader_is_stopped_by_sigttin,
        readers_of_one_job_take_whole_lines_in_turn,
        exit_returns_to_keel_with_every_page_back,
        ctrl_z_stops_a_program_keel_runs_and_kill_ends_it,
    ], only=args.checks)
finally:
    if Session.sh is not None:
        Session.sh.close()
