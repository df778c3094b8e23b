// SPDX-License-Identifier: MIT
// wait4 and waitid: their options (Linux's include/uapi/linux/wait.h) and the status word wait4
// stores, decoded as wait(2) describes and built as the kernel builds it (kernel/exit.c).
#pragma once

// Options.
#define WNOHANG 0x00000001    // return 0 at once if no child has changed state
#define WUNTRACED 0x00000002  // also report stopped children
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004      // waitid: report children that ended
#define WCONTINUED 0x00000008   // also report children continued by SIGCONT
#define WNOWAIT 0x01000000      // waitid: report, but leave the child waitable
#define __WNOTHREAD 0x20000000  // only this thread's children
#define __WALL 0x40000000       // every child, whatever signal it reports its end with
#define __WCLONE 0x80000000     // only children that report with no signal or another than SIGCHLD

// waitid's idtype.
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

// The status word. Exited: the exit code in bits 8-15, low 7 bits 0. Killed: the signal in the
// low 7 bits, bit 7 if it dumped core. Stopped: the signal in bits 8-15, 0x7f below.
// Continued: 0xffff.
#define W_EXITCODE(code, sig) (((code) << 8) | (sig))
#define W_STOPCODE(sig) (((sig) << 8) | 0x7f)
#define __W_CONTINUED 0xffff
#define WCOREFLAG 0x80

#define WEXITSTATUS(status) (((status)&0xff00) >> 8)
#define WTERMSIG(status) ((status)&0x7f)
#define WSTOPSIG(status) WEXITSTATUS(status)
#define WCOREDUMP(status) ((status)&WCOREFLAG)
#define WIFEXITED(status) (WTERMSIG(status) == 0)
#define WIFSIGNALED(status) (WTERMSIG(status) != 0 && WTERMSIG(status) != 0x7f)
#define WIFSTOPPED(status) (((status)&0xff) == 0x7f)
#define WIFCONTINUED(status) ((status) == __W_CONTINUED)
