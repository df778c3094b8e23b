// SPDX-License-Identifier: MIT
// Linux's error numbers: include/uapi/asm-generic/errno-base.h (1-34) and errno.h (35-133), which
// riscv64 uses as they are. A failed call returns -E... in a0; see errno(3) for each meaning.
#pragma once

#define EPERM 1     // operation not permitted
#define ENOENT 2    // no such file or directory
#define ESRCH 3     // no such process
#define EINTR 4     // interrupted by a signal
#define EIO 5       // input/output error
#define ENXIO 6     // no such device or address
#define E2BIG 7     // argument list too long
#define ENOEXEC 8   // not an executable format
#define EBADF 9     // bad file descriptor
#define ECHILD 10   // no child processes
#define EAGAIN 11   // try again (also EWOULDBLOCK)
#define ENOMEM 12   // out of memory
#define EACCES 13   // permission denied
#define EFAULT 14   // bad address
#define ENOTBLK 15  // block device required
#define EBUSY 16    // device or resource busy
#define EEXIST 17   // file exists
#define EXDEV 18    // cross-device link
#define ENODEV 19   // no such device
#define ENOTDIR 20  // not a directory
#define EISDIR 21   // is a directory
#define EINVAL 22   // invalid argument
#define ENFILE 23   // too many open files in the system
#define EMFILE 24   // too many open files
#define ENOTTY 25   // not a terminal (inappropriate ioctl)
#define ETXTBSY 26  // text file busy
#define EFBIG 27    // file too large
#define ENOSPC 28   // no space left on device
#define ESPIPE 29   // illegal seek
#define EROFS 30    // read-only file system
#define EMLINK 31   // too many links
#define EPIPE 32    // broken pipe
#define EDOM 33     // argument out of domain
#define ERANGE 34   // result out of range

#define EDEADLK 35       // resource deadlock would occur (also EDEADLOCK)
#define ENAMETOOLONG 36  // file name too long
#define ENOLCK 37        // no locks available
#define ENOSYS 38        // function not implemented
#define ENOTEMPTY 39     // directory not empty
#define ELOOP 40         // too many levels of symbolic links
// 41 and 58 are unassigned.
#define ENOMSG 42            // no message of the desired type
#define EIDRM 43             // identifier removed
#define ECHRNG 44            // channel number out of range
#define EL2NSYNC 45          // level 2 not synchronized
#define EL3HLT 46            // level 3 halted
#define EL3RST 47            // level 3 reset
#define ELNRNG 48            // link number out of range
#define EUNATCH 49           // protocol driver not attached
#define ENOCSI 50            // no CSI structure available
#define EL2HLT 51            // level 2 halted
#define EBADE 52             // invalid exchange
#define EBADR 53             // invalid request descriptor
#define EXFULL 54            // exchange full
#define ENOANO 55            // no anode
#define EBADRQC 56           // invalid request code
#define EBADSLT 57           // invalid slot
#define EBFONT 59            // bad font file format
#define ENOSTR 60            // device not a stream
#define ENODATA 61           // no data available
#define ETIME 62             // timer expired
#define ENOSR 63             // out of streams resources
#define ENONET 64            // machine is not on the network
#define ENOPKG 65            // package not installed
#define EREMOTE 66           // object is remote
#define ENOLINK 67           // link has been severed
#define EADV 68              // advertise error
#define ESRMNT 69            // srmount error
#define ECOMM 70             // communication error on send
#define EPROTO 71            // protocol error
#define EMULTIHOP 72         // multihop attempted
#define EDOTDOT 73           // RFS specific error
#define EBADMSG 74           // not a data message
#define EOVERFLOW 75         // value too large for its type
#define ENOTUNIQ 76          // name not unique on the network
#define EBADFD 77            // file descriptor in bad state
#define EREMCHG 78           // remote address changed
#define ELIBACC 79           // cannot access a needed shared library
#define ELIBBAD 80           // accessing a corrupted shared library
#define ELIBSCN 81           // .lib section in a.out corrupted
#define ELIBMAX 82           // too many shared libraries
#define ELIBEXEC 83          // cannot exec a shared library directly
#define EILSEQ 84            // illegal byte sequence
#define ERESTART 85          // interrupted call should be restarted
#define ESTRPIPE 86          // streams pipe error
#define EUSERS 87            // too many users
#define ENOTSOCK 88          // not a socket
#define EDESTADDRREQ 89      // destination address required
#define EMSGSIZE 90          // message too long
#define EPROTOTYPE 91        // wrong protocol type for socket
#define ENOPROTOOPT 92       // protocol not available
#define EPROTONOSUPPORT 93   // protocol not supported
#define ESOCKTNOSUPPORT 94   // socket type not supported
#define EOPNOTSUPP 95        // operation not supported
#define EPFNOSUPPORT 96      // protocol family not supported
#define EAFNOSUPPORT 97      // address family not supported
#define EADDRINUSE 98        // address already in use
#define EADDRNOTAVAIL 99     // cannot assign the requested address
#define ENETDOWN 100         // network is down
#define ENETUNREACH 101      // network is unreachable
#define ENETRESET 102        // connection dropped on network reset
#define ECONNABORTED 103     // connection aborted
#define ECONNRESET 104       // connection reset by peer
#define ENOBUFS 105          // no buffer space available
#define EISCONN 106          // already connected
#define ENOTCONN 107         // not connected
#define ESHUTDOWN 108        // cannot send after shutdown
#define ETOOMANYREFS 109     // too many references
#define ETIMEDOUT 110        // connection timed out
#define ECONNREFUSED 111     // connection refused
#define EHOSTDOWN 112        // host is down
#define EHOSTUNREACH 113     // no route to host
#define EALREADY 114         // operation already in progress
#define EINPROGRESS 115      // operation now in progress
#define ESTALE 116           // stale file handle
#define EUCLEAN 117          // structure needs cleaning
#define ENOTNAM 118          // not a XENIX named type file
#define ENAVAIL 119          // no XENIX semaphores available
#define EISNAM 120           // is a named type file
#define EREMOTEIO 121        // remote I/O error
#define EDQUOT 122           // disk quota exceeded
#define ENOMEDIUM 123        // no medium found
#define EMEDIUMTYPE 124      // wrong medium type
#define ECANCELED 125        // operation canceled
#define ENOKEY 126           // required key not available
#define EKEYEXPIRED 127      // key has expired
#define EKEYREVOKED 128      // key has been revoked
#define EKEYREJECTED 129     // key was rejected by service
#define EOWNERDEAD 130       // owner died
#define ENOTRECOVERABLE 131  // state not recoverable
#define ERFKILL 132          // operation not possible due to RF-kill
#define EHWPOISON 133        // memory page has a hardware error

// The aliases Linux gives two of them.
#define EWOULDBLOCK EAGAIN
#define EDEADLOCK EDEADLK

// The highest error number; -4095..-1 is the range a call's result may use for errors.
#define KEEL_ERRNO_MAX 133

// KEEL_ERRNO_LIST(X) expands X(NAME) once for each number above (not the aliases), in order:
// names for logs are made from it (src/lib/abi_names.cpp). NAME expands to its value.
// clang-format off
#define KEEL_ERRNO_LIST(X) \
    X(EPERM)           X(ENOENT)          X(ESRCH)           X(EINTR)           X(EIO) \
    X(ENXIO)           X(E2BIG)           X(ENOEXEC)         X(EBADF)           X(ECHILD) \
    X(EAGAIN)          X(ENOMEM)          X(EACCES)          X(EFAULT)          X(ENOTBLK) \
    X(EBUSY)           X(EEXIST)          X(EXDEV)           X(ENODEV)          X(ENOTDIR) \
    X(EISDIR)          X(EINVAL)          X(ENFILE)          X(EMFILE)          X(ENOTTY) \
    X(ETXTBSY)         X(EFBIG)           X(ENOSPC)          X(ESPIPE)          X(EROFS) \
    X(EMLINK)          X(EPIPE)           X(EDOM)            X(ERANGE)          X(EDEADLK) \
    X(ENAMETOOLONG)    X(ENOLCK)          X(ENOSYS)          X(ENOTEMPTY)       X(ELOOP) \
    X(ENOMSG)          X(EIDRM)           X(ECHRNG)          X(EL2NSYNC)        X(EL3HLT) \
    X(EL3RST)          X(ELNRNG)          X(EUNATCH)         X(ENOCSI)          X(EL2HLT) \
    X(EBADE)           X(EBADR)           X(EXFULL)          X(ENOANO)          X(EBADRQC) \
    X(EBADSLT)         X(EBFONT)          X(ENOSTR)          X(ENODATA)         X(ETIME) \
    X(ENOSR)           X(ENONET)          X(ENOPKG)          X(EREMOTE)         X(ENOLINK) \
    X(EADV)            X(ESRMNT)          X(ECOMM)           X(EPROTO)          X(EMULTIHOP) \
    X(EDOTDOT)         X(EBADMSG)         X(EOVERFLOW)       X(ENOTUNIQ)        X(EBADFD) \
    X(EREMCHG)         X(ELIBACC)         X(ELIBBAD)         X(ELIBSCN)         X(ELIBMAX) \
    X(ELIBEXEC)        X(EILSEQ)          X(ERESTART)        X(ESTRPIPE)        X(EUSERS) \
    X(ENOTSOCK)        X(EDESTADDRREQ)    X(EMSGSIZE)        X(EPROTOTYPE)      X(ENOPROTOOPT) \
    X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT) X(EOPNOTSUPP)      X(EPFNOSUPPORT)    X(EAFNOSUPPORT) \
    X(EADDRINUSE)      X(EADDRNOTAVAIL)   X(ENETDOWN)        X(ENETUNREACH)     X(ENETRESET) \
    X(ECONNABORTED)    X(ECONNRESET)      X(ENOBUFS)         X(EISCONN)         X(ENOTCONN) \
    X(ESHUTDOWN)       X(ETOOMANYREFS)    X(ETIMEDOUT)       X(ECONNREFUSED)    X(EHOSTDOWN) \
    X(EHOSTUNREACH)    X(EALREADY)        X(EINPROGRESS)     X(ESTALE)          X(EUCLEAN) \
    X(ENOTNAM)         X(ENAVAIL)         X(EISNAM)          X(EREMOTEIO)       X(EDQUOT) \
    X(ENOMEDIUM)       X(EMEDIUMTYPE)     X(ECANCELED)       X(ENOKEY)          X(EKEYEXPIRED) \
    X(EKEYREVOKED)     X(EKEYREJECTED)    X(EOWNERDEAD)      X(ENOTRECOVERABLE) X(ERFKILL) \
    X(EHWPOISON)
// clang-format on
