// SPDX-License-Identifier: MIT
// openat's and fcntl's flags, the *at calls' AT_*, lseek's whence, renameat2's flags: Linux's
// include/uapi/asm-generic/fcntl.h (riscv64's, unchanged), linux/fcntl.h and linux/fs.h.
#pragma once

// openat's flags (octal, as Linux writes them). The low two bits are the access mode.
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_NDELAY O_NONBLOCK
#define O_DSYNC 00010000
#define FASYNC 00020000
#define O_DIRECT 00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
#define __O_SYNC 04000000
#define O_SYNC (__O_SYNC | O_DSYNC)
#define O_PATH 010000000
#define __O_TMPFILE 020000000
#define O_TMPFILE (__O_TMPFILE | O_DIRECTORY)  // an unnamed file in the directory named

// fcntl's commands.
#define F_DUPFD 0
#define F_GETFD 1  // the descriptor's flags: FD_CLOEXEC
#define F_SETFD 2
#define F_GETFL 3  // the open file's status flags (O_APPEND, O_NONBLOCK...)
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_GETOWNER_UIDS 17
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_LINUX_SPECIFIC_BASE 1024
#define F_SETLEASE (F_LINUX_SPECIFIC_BASE + 0)
#define F_GETLEASE (F_LINUX_SPECIFIC_BASE + 1)
#define F_NOTIFY (F_LINUX_SPECIFIC_BASE + 2)
#define F_CANCELLK (F_LINUX_SPECIFIC_BASE + 5)
#define F_DUPFD_CLOEXEC (F_LINUX_SPECIFIC_BASE + 6)
#define F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7)
#define F_GETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 8)
#define F_ADD_SEALS (F_LINUX_SPECIFIC_BASE + 9)
#define F_GET_SEALS (F_LINUX_SPECIFIC_BASE + 10)

// F_GETFD/F_SETFD's one flag: close this descriptor on execve.
#define FD_CLOEXEC 1

// Lock types (struct flock's l_type) and flock's operations.
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

// The *at calls: the directory a relative path starts from, and their flags.
#define AT_FDCWD (-100)  // the current working directory
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EACCESS 0x200    // faccessat: check with the effective ids
#define AT_REMOVEDIR 0x200  // unlinkat: remove a directory
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000  // an empty path names the descriptor itself
#define AT_STATX_SYNC_TYPE 0x6000
#define AT_STATX_SYNC_AS_STAT 0x0000
#define AT_STATX_FORCE_SYNC 0x2000
#define AT_STATX_DONT_SYNC 0x4000
#define AT_RECURSIVE 0x8000

// renameat2's flags.
#define RENAME_NOREPLACE (1 << 0)  // fail with EEXIST rather than replace the target
#define RENAME_EXCHANGE (1 << 1)   // swap the two names
#define RENAME_WHITEOUT (1 << 2)

// lseek's whence.
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4

// access(2) and faccessat's mode (include/linux/fcntl.h, unistd.h).
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
