// SPDX-License-Identifier: MIT
// How an ioctl number is made: direction, size, type and number in one 32-bit word. Linux's
// include/uapi/asm-generic/ioctl.h, which riscv64 uses unchanged (older ioctls are plain numbers).
#pragma once

// Bits 0-7: the number; 8-15: the type (a letter per driver); 16-29: the argument's size;
// 30-31: the direction the argument goes, seen from the program.
#define _IOC_NRBITS 8
#define _IOC_TYPEBITS 8
#define _IOC_SIZEBITS 14
#define _IOC_DIRBITS 2
#define _IOC_NRSHIFT 0
#define _IOC_TYPESHIFT (_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT (_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT (_IOC_SIZESHIFT + _IOC_SIZEBITS)
#define _IOC_NONE 0U
#define _IOC_WRITE 1U  // the program passes the argument in
#define _IOC_READ 2U   // the kernel fills the argument in

#define _IOC(dir, type, nr, size)                                                     \
    (((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) | ((nr) << _IOC_NRSHIFT) | \
     ((size) << _IOC_SIZESHIFT))
#define _IO(type, nr) _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, argument) _IOC(_IOC_READ, (type), (nr), sizeof(argument))
#define _IOW(type, nr, argument) _IOC(_IOC_WRITE, (type), (nr), sizeof(argument))
#define _IOWR(type, nr, argument) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(argument))

#define _IOC_DIR(number) (((number) >> _IOC_DIRSHIFT) & ((1U << _IOC_DIRBITS) - 1))
#define _IOC_TYPE(number) (((number) >> _IOC_TYPESHIFT) & ((1U << _IOC_TYPEBITS) - 1))
#define _IOC_NR(number) (((number) >> _IOC_NRSHIFT) & ((1U << _IOC_NRBITS) - 1))
#define _IOC_SIZE(number) (((number) >> _IOC_SIZESHIFT) & ((1U << _IOC_SIZEBITS) - 1))
