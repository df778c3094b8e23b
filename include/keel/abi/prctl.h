// SPDX-License-Identifier: MIT
// prctl's options, the ones programs and libcs commonly ask for: Linux's include/uapi/linux/prctl.h
// (prctl(2)).
#pragma once

#define PR_SET_PDEATHSIG 1  // the signal to get when the parent dies
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15  // the thread's name: up to 16 bytes with the NUL
#define PR_GET_NAME 16
#define PR_GET_SECCOMP 21
#define PR_SET_SECCOMP 22
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#define PR_SET_TIMERSLACK 29
#define PR_GET_TIMERSLACK 30
#define PR_SET_MM 35
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_GET_TID_ADDRESS 40
#define PR_SET_THP_DISABLE 41
#define PR_GET_THP_DISABLE 42
#define PR_SET_VMA 0x53564d41  // "SVMA"
#define PR_SET_VMA_ANON_NAME 0

// PR_SET_NAME's and PR_GET_NAME's buffer, with the NUL (Linux's include/linux/sched.h).
#define TASK_COMM_LEN 16
