#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""keel's ABI headers (include/keel/abi) say what the host's riscv64 Linux headers say.

riscv64-linux-gnu-gcc compiles two translation units, one including Linux's own uapi headers
(<asm/...>, <linux/...>, from linux-libc-dev-riscv64-cross) and one including keel's, to assembly
in which each value is a string (the trick Linux's asm-offsets uses); nothing runs. Every integer
constant keel defines that Linux's headers also define must have Linux's value (SYS_x against
__NR_x), every __NR_ and errno of Linux's headers must be in keel's, and the structures must have
Linux's sizes and offsets (DT_* and linux_dirent64 against glibc's <dirent.h>, as the uapi headers
lack them). Names keel has beyond the host's headers (newer Linux) are listed, not failed.
Exits 77 (skipped) where the compiler or the headers are missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
ABI = os.path.join(ROOT, "include", "keel", "abi")
SKIP = 77

LINUX_HEADERS = """
#include <asm/unistd.h>
#include <asm/errno.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/signal.h>
#include <asm/siginfo.h>
#include <asm/termbits.h>
#include <asm/ioctls.h>
#include <asm/termios.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/stat.h>
#include <linux/mman.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/poll.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/signal.h>
#include <linux/resource.h>
#include <linux/times.h>
#include <linux/utsname.h>
#include <linux/sched.h>
#include <linux/auxvec.h>
#include <linux/prctl.h>
#include <linux/sysinfo.h>
#include <linux/rtc.h>
#include <linux/random.h>
#if __has_include(<asm/hwprobe.h>)
#include <asm/hwprobe.h>
#endif
"""
GLIBC_HEADERS = "#define _GNU_SOURCE\n#include <dirent.h>\n"

# (what, keel's type, Linux's type, fields both have). Where the names differ, Linux's uapi type is
# the kernel's own (new_utsname, __kernel_timespec, __kernel_old_timeval).
STRUCTS = [
    ("stat", "struct stat", "struct stat",
     "st_dev st_ino st_mode st_nlink st_uid st_gid st_rdev st_size st_blksize st_blocks st_atime "
     "st_atime_nsec st_mtime st_mtime_nsec st_ctime st_ctime_nsec"),
    ("statx", "struct statx", "struct statx",
     "stx_mask stx_blksize stx_attributes stx_nlink stx_uid stx_gid stx_mode stx_ino stx_size stx_blocks "
     "stx_attributes_mask stx_atime stx_btime stx_ctime stx_mtime stx_rdev_major stx_rdev_minor "
     "stx_dev_major stx_dev_minor stx_mnt_id stx_dio_mem_align stx_dio_offset_align"),
    ("statx_timestamp", "struct statx_timestamp", "struct statx_timestamp", "tv_sec tv_nsec"),
    ("statfs", "struct statfs", "struct statfs",
     "f_type f_bsize f_blocks f_bfree f_bavail f_files f_ffree f_fsid f_namelen f_frsize f_flags f_spare"),
    ("timespec", "struct timespec", "struct __kernel_timespec", "tv_sec tv_nsec"),
    ("timeval", "struct timeval", "struct __kernel_old_timeval", "tv_sec tv_usec"),
    ("itimerspec", "struct itimerspec", "struct __kernel_itimerspec", "it_interval it_value"),
    ("itimerval", "struct itimerval", "struct __kernel_old_itimerval", "it_interval it_value"),
    ("pollfd", "struct pollfd", "struct pollfd", "fd events revents"),
    ("iovec", "struct iovec", "struct iovec", "iov_base iov_len"),
    ("sigset_t", "sigset_t", "sigset_t", "sig"),
    ("sigaction", "struct sigaction", "struct sigaction", "sa_handler sa_flags sa_mask"),
    ("stack_t", "stack_t", "stack_t", "ss_sp ss_flags ss_size"),
    ("termios", "struct termios", "struct termios", "c_iflag c_oflag c_cflag c_lflag c_line c_cc"),
    ("winsize", "struct winsize", "struct winsize", "ws_row ws_col ws_xpixel ws_ypixel"),
    ("rlimit", "struct rlimit", "struct rlimit", "rlim_cur rlim_max"),
    ("rusage", "struct rusage", "struct rusage",
     "ru_utime ru_stime ru_maxrss ru_minflt ru_majflt ru_nvcsw ru_nivcsw"),
    ("tms", "struct tms", "struct tms", "tms_utime tms_stime tms_cutime tms_cstime"),
    ("utsname", "struct utsname", "struct new_utsname",
     "sysname nodename release version machine domainname"),
    ("sysinfo", "struct sysinfo", "struct sysinfo",
     "uptime loads totalram freeram sharedram bufferram totalswap freeswap procs totalhigh freehigh "
     "mem_unit"),
    ("rtc_time", "struct rtc_time", "struct rtc_time",
     "tm_sec tm_min tm_hour tm_mday tm_mon tm_year tm_wday tm_yday tm_isdst"),
    ("clone_args", "struct clone_args", "struct clone_args",
     "flags pidfd child_tid parent_tid exit_signal stack stack_size tls set_tid set_tid_size cgroup"),
]
# glibc's dirent64 has the kernel's header but a fixed d_name[256]: offsets only.
GLIBC_STRUCTS = [
    ("linux_dirent64", "struct linux_dirent64", "struct dirent64", "d_ino d_off d_reclen d_type d_name"),
]
UNSIZED = {"linux_dirent64"}


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def macros(cc, source, flags):
    """The object-like macros a translation unit defines beyond the compiler's own: name -> body."""
    out = run([cc, "-E", "-dM", "-x", "c", "-", *flags], input=source, check=True).stdout
    found = {}
    for line in out.splitlines():
        match = re.match(r"#define (\w+)(\(?)\s*(.*)", line)
        if match and not match[2]:
            found[match[1]] = match[3]
    return found


def values(cc, shows, preamble, flags, workdir, name):
    """Compiles `preamble` plus one asm string per (key, expression); returns key -> int."""
    lines = [preamble, "void keel_show(void) {"]
    for key, expression in shows:
        lines.append(f'  __asm__ volatile(".ascii \\"@@{key} %0\\\\n\\"" :: "i"((long long)({expression})));')
    lines.append("}")
    source = os.path.join(workdir, f"{name}.c")
    with open(source, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    compiled = run([cc, "-S", "-O0", "-ffreestanding", *flags, source, "-o", "-"])
    if compiled.returncode != 0:
        sys.exit(f"check_abi: {name}.c does not compile:\n{compiled.stderr}")
    found = {}
    for match in re.finditer(r"@@(\S+) [$#]?(-?\d+)", compiled.stdout):
        found[match[1]] = int(match[2])
    return found


def layout_shows(structs, side):
    shows = []
    for what, ours, linux, fields in structs:
        kind = ours if side == "keel" else linux
        if what not in UNSIZED:
            shows.append((f"sizeof.{what}", f"sizeof({kind})"))
        for field in fields.split():
            shows.append((f"offsetof.{what}.{field}", f"__builtin_offsetof({kind}, {field})"))
    return shows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cc", default="riscv64-linux-gnu-gcc")
    args = parser.parse_args()
    cc = shutil.which(args.cc)
    if cc is None:
        print(f"check_abi: skipped: {args.cc} not found (g++-riscv64-linux-gnu has it)")
        return SKIP
    if run([cc, "-E", "-x", "c", "-"], input="#include <asm/unistd.h>\n").returncode != 0:
        print("check_abi: skipped: no riscv64 Linux headers (linux-libc-dev-riscv64-cross has them)")
        return SKIP

    headers = sorted(name for name in os.listdir(ABI) if name.endswith(".h") and name != "names.h")
    ours_source = "".join(f"#include <keel/abi/{name}>\n" for name in headers)
    ours_flags = ["-ffreestanding", "-I", os.path.join(ROOT, "include")]
    baseline = macros(cc, "#include <stddef.h>\n#include <stdint.h>\n", ours_flags)
    ours = {name: body for name, body in macros(cc, ours_source, ours_flags).items() if name not in baseline}
    header_of = {}  # each name's own header (not one that includes it)
    for header in headers:
        for name in macros(cc, f"#include <keel/abi/{header}>\n", ours_flags):
            if name in ours and (name not in header_of or header_of[name] == header):
                header_of[name] = header
    for header in headers:
        with open(os.path.join(ABI, header), encoding="utf-8") as f:
            for included in re.findall(r"#include <keel/abi/(\w+\.h)>", f.read()):
                for name in macros(cc, f"#include <keel/abi/{included}>\n", ours_flags):
                    if header_of.get(name) == header:
                        header_of[name] = included
    linux = macros(cc, LINUX_HEADERS, [])
    glibc = macros(cc, GLIBC_HEADERS, [])
    linux_errnos = macros(cc, "#include <asm/errno.h>\n", [])

    def linux_name(name):
        return "__NR_" + name[4:] if name.startswith("SYS_") else name

    compared, newer = [], []
    for name, body in sorted(ours.items()):
        if name.startswith("KEEL_") or "__sighandler_t" in body or not body:
            continue  # keel's own lists and limits; SIG_DFL and kin are pointers
        if linux_name(name) in linux:
            compared.append((name, linux_name(name), "linux"))
        elif name in glibc:
            compared.append((name, name, "glibc"))
        else:
            newer.append(name)

    failures = []
    missing = [n for n in linux if n.startswith("__NR_") and not n.startswith("__NR3264")
               and n not in ("__NR_syscalls", "__NR_arch_specific_syscall") and "SYS_" + n[5:] not in ours]
    missing += [n for n in linux_errnos if re.fullmatch(r"E[A-Z0-9]+", n) and n not in ours]
    failures += [f"{name}: in Linux's headers, not in keel's" for name in sorted(missing)]

    with tempfile.TemporaryDirectory() as workdir:
        keel_values = values(cc, [(n, n) for n, _, _ in compared] + layout_shows(STRUCTS + GLIBC_STRUCTS, "keel"),
                             ours_source, ours_flags[1:], workdir, "keel")
        linux_values = values(cc, [(n, l) for n, l, side in compared if side == "linux"]
                              + layout_shows(STRUCTS, "linux"), LINUX_HEADERS, [], workdir, "linux")
        glibc_values = values(cc, [(n, l) for n, l, side in compared if side == "glibc"]
                              + layout_shows(GLIBC_STRUCTS, "linux"), GLIBC_HEADERS, [], workdir, "glibc")
    theirs = {**linux_values, **glibc_values}
    for key, value in sorted(keel_values.items()):
        if key not in theirs:
            failures.append(f"{key}: no value from Linux's side")
        elif theirs[key] != value:
            failures.append(f"{key}: keel says {value:#x}, Linux says {theirs[key]:#x}")

    groups = {}
    for name, _, _ in compared:
        groups[header_of[name]] = groups.get(header_of[name], 0) + 1
    layouts = sum(1 for key in keel_values if key.startswith(("sizeof.", "offsetof.")))
    print(f"check_abi: {len(compared)} constants compared: "
          + ", ".join(f"{header} {count}" for header, count in sorted(groups.items())))
    print(f"check_abi: {layouts} sizes and offsets of {len(STRUCTS) + len(GLIBC_STRUCTS)} structures compared")
    by_header = {}
    for name in newer:
        by_header.setdefault(header_of[name], []).append(name)
    for header, names in sorted(by_header.items()):
        shown = " ".join(names) if len(names) <= 25 else f"{names[0]} ... {names[-1]}"
        print(f"check_abi: {header}: {len(names)} not in the host's headers (newer Linux, or no uapi name): "
              + shown)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"check_abi: {len(failures)} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
