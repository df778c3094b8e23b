// SPDX-License-Identifier: MIT
// The auxiliary vector execve leaves on the new stack after envp: (type, value) pairs of 64 bits,
// ending with AT_NULL. Linux's include/uapi/linux/auxvec.h and riscv's asm/auxvec.h (getauxval(3)).
#pragma once

#define AT_NULL 0  // the end
#define AT_IGNORE 1
#define AT_EXECFD 2
#define AT_PHDR 3   // the program's headers, where they are in memory
#define AT_PHENT 4  // their entry size
#define AT_PHNUM 5  // their count
#define AT_PAGESZ 6
#define AT_BASE 7  // the interpreter's load address
#define AT_FLAGS 8
#define AT_ENTRY 9  // the program's entry point
#define AT_NOTELF 10
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15  // the address of a string naming the platform
#define AT_HWCAP 16     // riscv: one bit per single-letter extension ('a' is bit 0)
#define AT_CLKTCK 17    // times()'s ticks per second
#define AT_SECURE 23
#define AT_BASE_PLATFORM 24
#define AT_RANDOM 25  // the address of 16 random bytes
#define AT_HWCAP2 26
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN 28
#define AT_HWCAP3 29
#define AT_HWCAP4 30
#define AT_EXECFN 31        // the path execve was given
#define AT_SYSINFO_EHDR 33  // the vDSO's ELF header
#define AT_MINSIGSTKSZ 51

// riscv: the caches' sizes and geometry.
#define AT_L1I_CACHESIZE 40
#define AT_L1I_CACHEGEOMETRY 41
#define AT_L1D_CACHESIZE 42
#define AT_L1D_CACHEGEOMETRY 43
#define AT_L2_CACHESIZE 44
#define AT_L2_CACHEGEOMETRY 45
#define AT_L3_CACHESIZE 46
#define AT_L3_CACHEGEOMETRY 47
