// SPDX-License-Identifier: MIT
// Linux's system call numbers on riscv64: include/uapi/asm-generic/unistd.h as riscv's asm/unistd.h
// uses it (64-bit stat and rlimit calls, clone3, memfd_secret; riscv's own 258-259), to Linux 6.17.
#pragma once

// A call: its number in a7, arguments in a0-a5; the result, or -errno (-4095..-1), back in a0.
//
// KEEL_SYSCALL_LIST(X) expands X(number, name) once for every call Linux assigns on riscv64, in
// order of number: the one list the kernel's dispatch and its names (src/lib/abi_names.cpp) are
// made from. The names are Linux's own (__NR_name, glibc's SYS_name). Three to a line.
// clang-format off
#define KEEL_SYSCALL_LIST(X) \
    X(0, io_setup)                 X(1, io_destroy)               X(2, io_submit) \
    X(3, io_cancel)                X(4, io_getevents)             X(5, setxattr) \
    X(6, lsetxattr)                X(7, fsetxattr)                X(8, getxattr) \
    X(9, lgetxattr)                X(10, fgetxattr)               X(11, listxattr) \
    X(12, llistxattr)              X(13, flistxattr)              X(14, removexattr) \
    X(15, lremovexattr)            X(16, fremovexattr)            X(17, getcwd) \
    X(18, lookup_dcookie)          X(19, eventfd2)                X(20, epoll_create1) \
    X(21, epoll_ctl)               X(22, epoll_pwait)             X(23, dup) \
    X(24, dup3)                    X(25, fcntl)                   X(26, inotify_init1) \
    X(27, inotify_add_watch)       X(28, inotify_rm_watch)        X(29, ioctl) \
    X(30, ioprio_set)              X(31, ioprio_get)              X(32, flock) \
    X(33, mknodat)                 X(34, mkdirat)                 X(35, unlinkat) \
    X(36, symlinkat)               X(37, linkat) \
    /* 38 (renameat) is not on riscv64: renameat2 (276) is */ \
    X(39, umount2)                 X(40, mount)                   X(41, pivot_root) \
    X(42, nfsservctl)              X(43, statfs)                  X(44, fstatfs) \
    X(45, truncate)                X(46, ftruncate)               X(47, fallocate) \
    X(48, faccessat)               X(49, chdir)                   X(50, fchdir) \
    X(51, chroot)                  X(52, fchmod)                  X(53, fchmodat) \
    X(54, fchownat)                X(55, fchown)                  X(56, openat) \
    X(57, close)                   X(58, vhangup)                 X(59, pipe2) \
    X(60, quotactl)                X(61, getdents64)              X(62, lseek) \
    X(63, read)                    X(64, write)                   X(65, readv) \
    X(66, writev)                  X(67, pread64)                 X(68, pwrite64) \
    X(69, preadv)                  X(70, pwritev)                 X(71, sendfile) \
    X(72, pselect6)                X(73, ppoll)                   X(74, signalfd4) \
    X(75, vmsplice)                X(76, splice)                  X(77, tee) \
    X(78, readlinkat)              X(79, newfstatat)              X(80, fstat) \
    X(81, sync)                    X(82, fsync)                   X(83, fdatasync) \
    X(84, sync_file_range)         X(85, timerfd_create)          X(86, timerfd_settime) \
    X(87, timerfd_gettime)         X(88, utimensat)               X(89, acct) \
    X(90, capget)                  X(91, capset)                  X(92, personality) \
    X(93, exit)                    X(94, exit_group)              X(95, waitid) \
    X(96, set_tid_address)         X(97, unshare)                 X(98, futex) \
    X(99, set_robust_list)         X(100, get_robust_list)        X(101, nanosleep) \
    X(102, getitimer)              X(103, setitimer)              X(104, kexec_load) \
    X(105, init_module)            X(106, delete_module)          X(107, timer_create) \
    X(108, timer_gettime)          X(109, timer_getoverrun)       X(110, timer_settime) \
    X(111, timer_delete)           X(112, clock_settime)          X(113, clock_gettime) \
    X(114, clock_getres)           X(115, clock_nanosleep)        X(116, syslog) \
    X(117, ptrace)                 X(118, sched_setparam)         X(119, sched_setscheduler) \
    X(120, sched_getscheduler)     X(121, sched_getparam)         X(122, sched_setaffinity) \
    X(123, sched_getaffinity)      X(124, sched_yield)            X(125, sched_get_priority_max) \
    X(126, sched_get_priority_min) X(127, sched_rr_get_interval)  X(128, restart_syscall) \
    X(129, kill)                   X(130, tkill)                  X(131, tgkill) \
    X(132, sigaltstack)            X(133, rt_sigsuspend)          X(134, rt_sigaction) \
    X(135, rt_sigprocmask)         X(136, rt_sigpending)          X(137, rt_sigtimedwait) \
    X(138, rt_sigqueueinfo)        X(139, rt_sigreturn)           X(140, setpriority) \
    X(141, getpriority)            X(142, reboot)                 X(143, setregid) \
    X(144, setgid)                 X(145, setreuid)               X(146, setuid) \
    X(147, setresuid)              X(148, getresuid)              X(149, setresgid) \
    X(150, getresgid)              X(151, setfsuid)               X(152, setfsgid) \
    X(153, times)                  X(154, setpgid)                X(155, getpgid) \
    X(156, getsid)                 X(157, setsid)                 X(158, getgroups) \
    X(159, setgroups)              X(160, uname)                  X(161, sethostname) \
    X(162, setdomainname)          X(163, getrlimit)              X(164, setrlimit) \
    X(165, getrusage)              X(166, umask)                  X(167, prctl) \
    X(168, getcpu)                 X(169, gettimeofday)           X(170, settimeofday) \
    X(171, adjtimex)               X(172, getpid)                 X(173, getppid) \
    X(174, getuid)                 X(175, geteuid)                X(176, getgid) \
    X(177, getegid)                X(178, gettid)                 X(179, sysinfo) \
    X(180, mq_open)                X(181, mq_unlink)              X(182, mq_timedsend) \
    X(183, mq_timedreceive)        X(184, mq_notify)              X(185, mq_getsetattr) \
    X(186, msgget)                 X(187, msgctl)                 X(188, msgrcv) \
    X(189, msgsnd)                 X(190, semget)                 X(191, semctl) \
    X(192, semtimedop)             X(193, semop)                  X(194, shmget) \
    X(195, shmctl)                 X(196, shmat)                  X(197, shmdt) \
    X(198, socket)                 X(199, socketpair)             X(200, bind) \
    X(201, listen)                 X(202, accept)                 X(203, connect) \
    X(204, getsockname)            X(205, getpeername)            X(206, sendto) \
    X(207, recvfrom)               X(208, setsockopt)             X(209, getsockopt) \
    X(210, shutdown)               X(211, sendmsg)                X(212, recvmsg) \
    X(213, readahead)              X(214, brk)                    X(215, munmap) \
    X(216, mremap)                 X(217, add_key)                X(218, request_key) \
    X(219, keyctl)                 X(220, clone)                  X(221, execve) \
    X(222, mmap)                   X(223, fadvise64)              X(224, swapon) \
    X(225, swapoff)                X(226, mprotect)               X(227, msync) \
    X(228, mlock)                  X(229, munlock)                X(230, mlockall) \
    X(231, munlockall)             X(232, mincore)                X(233, madvise) \
    X(234, remap_file_pages)       X(235, mbind)                  X(236, get_mempolicy) \
    X(237, set_mempolicy)          X(238, migrate_pages)          X(239, move_pages) \
    X(240, rt_tgsigqueueinfo)      X(241, perf_event_open)        X(242, accept4) \
    X(243, recvmmsg) \
    /* 244-257: the architectures' own range; riscv64 has 258 and 259 */ \
    X(258, riscv_hwprobe)          X(259, riscv_flush_icache)     X(260, wait4) \
    X(261, prlimit64)              X(262, fanotify_init)          X(263, fanotify_mark) \
    X(264, name_to_handle_at)      X(265, open_by_handle_at)      X(266, clock_adjtime) \
    X(267, syncfs)                 X(268, setns)                  X(269, sendmmsg) \
    X(270, process_vm_readv)       X(271, process_vm_writev)      X(272, kcmp) \
    X(273, finit_module)           X(274, sched_setattr)          X(275, sched_getattr) \
    X(276, renameat2)              X(277, seccomp)                X(278, getrandom) \
    X(279, memfd_create)           X(280, bpf)                    X(281, execveat) \
    X(282, userfaultfd)            X(283, membarrier)             X(284, mlock2) \
    X(285, copy_file_range)        X(286, preadv2)                X(287, pwritev2) \
    X(288, pkey_mprotect)          X(289, pkey_alloc)             X(290, pkey_free) \
    X(291, statx)                  X(292, io_pgetevents)          X(293, rseq) \
    X(294, kexec_file_load) \
    /* 295-423: unassigned on 64-bit (403-423 are the 32-bit time64 calls) */ \
    X(424, pidfd_send_signal)      X(425, io_uring_setup)         X(426, io_uring_enter) \
    X(427, io_uring_register)      X(428, open_tree)              X(429, move_mount) \
    X(430, fsopen)                 X(431, fsconfig)               X(432, fsmount) \
    X(433, fspick)                 X(434, pidfd_open)             X(435, clone3) \
    X(436, close_range)            X(437, openat2)                X(438, pidfd_getfd) \
    X(439, faccessat2)             X(440, process_madvise)        X(441, epoll_pwait2) \
    X(442, mount_setattr)          X(443, quotactl_fd)            X(444, landlock_create_ruleset) \
    X(445, landlock_add_rule)      X(446, landlock_restrict_self) X(447, memfd_secret) \
    X(448, process_mrelease)       X(449, futex_waitv)            X(450, set_mempolicy_home_node) \
    X(451, cachestat)              X(452, fchmodat2)              X(453, map_shadow_stack) \
    X(454, futex_wake)             X(455, futex_wait)             X(456, futex_requeue) \
    X(457, statmount)              X(458, listmount)              X(459, lsm_get_self_attr) \
    X(460, lsm_set_self_attr)      X(461, lsm_list_modules)       X(462, mseal) \
    X(463, setxattrat)             X(464, getxattrat)             X(465, listxattrat) \
    X(466, removexattrat)          X(467, open_tree_attr)         X(468, file_getattr) \
    X(469, file_setattr)
// clang-format on

// One past the highest number: the length of a table indexed by number.
#define KEEL_SYSCALL_LIMIT 470

// SYS_name: each call's number, for programs and the kernel's switch alike (the host test
// checks every one against the list above).
#define SYS_io_setup 0
#define SYS_io_destroy 1
#define SYS_io_submit 2
#define SYS_io_cancel 3
#define SYS_io_getevents 4
#define SYS_setxattr 5
#define SYS_lsetxattr 6
#define SYS_fsetxattr 7
#define SYS_getxattr 8
#define SYS_lgetxattr 9
#define SYS_fgetxattr 10
#define SYS_listxattr 11
#define SYS_llistxattr 12
#define SYS_flistxattr 13
#define SYS_removexattr 14
#define SYS_lremovexattr 15
#define SYS_fremovexattr 16
#define SYS_getcwd 17
#define SYS_lookup_dcookie 18
#define SYS_eventfd2 19
#define SYS_epoll_create1 20
#define SYS_epoll_ctl 21
#define SYS_epoll_pwait 22
#define SYS_dup 23
#define SYS_dup3 24
#define SYS_fcntl 25
#define SYS_inotify_init1 26
#define SYS_inotify_add_watch 27
#define SYS_inotify_rm_watch 28
#define SYS_ioctl 29
#define SYS_ioprio_set 30
#define SYS_ioprio_get 31
#define SYS_flock 32
#define SYS_mknodat 33
#define SYS_mkdirat 34
#define SYS_unlinkat 35
#define SYS_symlinkat 36
#define SYS_linkat 37
#define SYS_umount2 39
#define SYS_mount 40
#define SYS_pivot_root 41
#define SYS_nfsservctl 42
#define SYS_statfs 43
#define SYS_fstatfs 44
#define SYS_truncate 45
#define SYS_ftruncate 46
#define SYS_fallocate 47
#define SYS_faccessat 48
#define SYS_chdir 49
#define SYS_fchdir 50
#define SYS_chroot 51
#define SYS_fchmod 52
#define SYS_fchmodat 53
#define SYS_fchownat 54
#define SYS_fchown 55
#define SYS_openat 56
#define SYS_close 57
#define SYS_vhangup 58
#define SYS_pipe2 59
#define SYS_quotactl 60
#define SYS_getdents64 61
#define SYS_lseek 62
#define SYS_read 63
#define SYS_write 64
#define SYS_readv 65
#define SYS_writev 66
#define SYS_pread64 67
#define SYS_pwrite64 68
#define SYS_preadv 69
#define SYS_pwritev 70
#define SYS_sendfile 71
#define SYS_pselect6 72
#define SYS_ppoll 73
#define SYS_signalfd4 74
#define SYS_vmsplice 75
#define SYS_splice 76
#define SYS_tee 77
#define SYS_readlinkat 78
#define SYS_newfstatat 79
#define SYS_fstat 80
#define SYS_sync 81
#define SYS_fsync 82
#define SYS_fdatasync 83
#define SYS_sync_file_range 84
#define SYS_timerfd_create 85
#define SYS_timerfd_settime 86
#define SYS_timerfd_gettime 87
#define SYS_utimensat 88
#define SYS_acct 89
#define SYS_capget 90
#define SYS_capset 91
#define SYS_personality 92
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_waitid 95
#define SYS_set_tid_address 96
#define SYS_unshare 97
#define SYS_futex 98
#define SYS_set_robust_list 99
#define SYS_get_robust_list 100
#define SYS_nanosleep 101
#define SYS_getitimer 102
#define SYS_setitimer 103
#define SYS_kexec_load 104
#define SYS_init_module 105
#define SYS_delete_module 106
#define SYS_timer_create 107
#define SYS_timer_gettime 108
#define SYS_timer_getoverrun 109
#define SYS_timer_settime 110
#define SYS_timer_delete 111
#define SYS_clock_settime 112
#define SYS_clock_gettime 113
#define SYS_clock_getres 114
#define SYS_clock_nanosleep 115
#define SYS_syslog 116
#define SYS_ptrace 117
#define SYS_sched_setparam 118
#define SYS_sched_setscheduler 119
#define SYS_sched_getscheduler 120
#define SYS_sched_getparam 121
#define SYS_sched_setaffinity 122
#define SYS_sched_getaffinity 123
#define SYS_sched_yield 124
#define SYS_sched_get_priority_max 125
#define SYS_sched_get_priority_min 126
#define SYS_sched_rr_get_interval 127
#define SYS_restart_syscall 128
#define SYS_kill 129
#define SYS_tkill 130
#define SYS_tgkill 131
#define SYS_sigaltstack 132
#define SYS_rt_sigsuspend 133
#define SYS_rt_sigaction 134
#define SYS_rt_sigprocmask 135
#define SYS_rt_sigpending 136
#define SYS_rt_sigtimedwait 137
#define SYS_rt_sigqueueinfo 138
#define SYS_rt_sigreturn 139
#define SYS_setpriority 140
#define SYS_getpriority 141
#define SYS_reboot 142
#define SYS_setregid 143
#define SYS_setgid 144
#define SYS_setreuid 145
#define SYS_setuid 146
#define SYS_setresuid 147
#define SYS_getresuid 148
#define SYS_setresgid 149
#define SYS_getresgid 150
#define SYS_setfsuid 151
#define SYS_setfsgid 152
#define SYS_times 153
#define SYS_setpgid 154
#define SYS_getpgid 155
#define SYS_getsid 156
#define SYS_setsid 157
#define SYS_getgroups 158
#define SYS_setgroups 159
#define SYS_uname 160
#define SYS_sethostname 161
#define SYS_setdomainname 162
#define SYS_getrlimit 163
#define SYS_setrlimit 164
#define SYS_getrusage 165
#define SYS_umask 166
#define SYS_prctl 167
#define SYS_getcpu 168
#define SYS_gettimeofday 169
#define SYS_settimeofday 170
#define SYS_adjtimex 171
#define SYS_getpid 172
#define SYS_getppid 173
#define SYS_getuid 174
#define SYS_geteuid 175
#define SYS_getgid 176
#define SYS_getegid 177
#define SYS_gettid 178
#define SYS_sysinfo 179
#define SYS_mq_open 180
#define SYS_mq_unlink 181
#define SYS_mq_timedsend 182
#define SYS_mq_timedreceive 183
#define SYS_mq_notify 184
#define SYS_mq_getsetattr 185
#define SYS_msgget 186
#define SYS_msgctl 187
#define SYS_msgrcv 188
#define SYS_msgsnd 189
#define SYS_semget 190
#define SYS_semctl 191
#define SYS_semtimedop 192
#define SYS_semop 193
#define SYS_shmget 194
#define SYS_shmctl 195
#define SYS_shmat 196
#define SYS_shmdt 197
#define SYS_socket 198
#define SYS_socketpair 199
#define SYS_bind 200
#define SYS_listen 201
#define SYS_accept 202
#define SYS_connect 203
#define SYS_getsockname 204
#define SYS_getpeername 205
#define SYS_sendto 206
#define SYS_recvfrom 207
#define SYS_setsockopt 208
#define SYS_getsockopt 209
#define SYS_shutdown 210
#define SYS_sendmsg 211
#define SYS_recvmsg 212
#define SYS_readahead 213
#define SYS_brk 214
#define SYS_munmap 215
#define SYS_mremap 216
#define SYS_add_key 217
#define SYS_request_key 218
#define SYS_keyctl 219
#define SYS_clone 220
#define SYS_execve 221
#define SYS_mmap 222
#define SYS_fadvise64 223
#define SYS_swapon 224
#define SYS_swapoff 225
#define SYS_mprotect 226
#define SYS_msync 227
#define SYS_mlock 228
#define SYS_munlock 229
#define SYS_mlockall 230
#define SYS_munlockall 231
#define SYS_mincore 232
#define SYS_madvise 233
#define SYS_remap_file_pages 234
#define SYS_mbind 235
#define SYS_get_mempolicy 236
#define SYS_set_mempolicy 237
#define SYS_migrate_pages 238
#define SYS_move_pages 239
#define SYS_rt_tgsigqueueinfo 240
#define SYS_perf_event_open 241
#define SYS_accept4 242
#define SYS_recvmmsg 243
#define SYS_riscv_hwprobe 258
#define SYS_riscv_flush_icache 259
#define SYS_wait4 260
#define SYS_prlimit64 261
#define SYS_fanotify_init 262
#define SYS_fanotify_mark 263
#define SYS_name_to_handle_at 264
#define SYS_open_by_handle_at 265
#define SYS_clock_adjtime 266
#define SYS_syncfs 267
#define SYS_setns 268
#define SYS_sendmmsg 269
#define SYS_process_vm_readv 270
#define SYS_process_vm_writev 271
#define SYS_kcmp 272
#define SYS_finit_module 273
#define SYS_sched_setattr 274
#define SYS_sched_getattr 275
#define SYS_renameat2 276
#define SYS_seccomp 277
#define SYS_getrandom 278
#define SYS_memfd_create 279
#define SYS_bpf 280
#define SYS_execveat 281
#define SYS_userfaultfd 282
#define SYS_membarrier 283
#define SYS_mlock2 284
#define SYS_copy_file_range 285
#define SYS_preadv2 286
#define SYS_pwritev2 287
#define SYS_pkey_mprotect 288
#define SYS_pkey_alloc 289
#define SYS_pkey_free 290
#define SYS_statx 291
#define SYS_io_pgetevents 292
#define SYS_rseq 293
#define SYS_kexec_file_load 294
#define SYS_pidfd_send_signal 424
#define SYS_io_uring_setup 425
#define SYS_io_uring_enter 426
#define SYS_io_uring_register 427
#define SYS_open_tree 428
#define SYS_move_mount 429
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#define SYS_fspick 433
#define SYS_pidfd_open 434
#define SYS_clone3 435
#define SYS_close_range 436
#define SYS_openat2 437
#define SYS_pidfd_getfd 438
#define SYS_faccessat2 439
#define SYS_process_madvise 440
#define SYS_epoll_pwait2 441
#define SYS_mount_setattr 442
#define SYS_quotactl_fd 443
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#define SYS_memfd_secret 447
#define SYS_process_mrelease 448
#define SYS_futex_waitv 449
#define SYS_set_mempolicy_home_node 450
#define SYS_cachestat 451
#define SYS_fchmodat2 452
#define SYS_map_shadow_stack 453
#define SYS_futex_wake 454
#define SYS_futex_wait 455
#define SYS_futex_requeue 456
#define SYS_statmount 457
#define SYS_listmount 458
#define SYS_lsm_get_self_attr 459
#define SYS_lsm_set_self_attr 460
#define SYS_lsm_list_modules 461
#define SYS_mseal 462
#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
#define SYS_open_tree_attr 467
#define SYS_file_getattr 468
#define SYS_file_setattr 469
