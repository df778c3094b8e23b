// SPDX-License-Identifier: MIT
// The terminal as ioctl sees it on riscv64: struct termios (TCGETS), its flags, the window size,
// the tty ioctl numbers. Linux's include/uapi/asm-generic/termbits.h, ioctls.h and termios.h.
#pragma once
#include <keel/abi/ioctl.h>
#include <stdint.h>

// NOLINTBEGIN(readability-identifier-naming): Linux's names, in C.

typedef uint8_t cc_t;
typedef uint32_t speed_t;
typedef uint32_t tcflag_t;

// 36 bytes: the kernel's termios (a libc's own struct termios is larger and converts).
#define NCCS 19
struct termios {
    tcflag_t c_iflag;  // input: I*
    tcflag_t c_oflag;  // output: O*
    tcflag_t c_cflag;  // control: C*, B*
    tcflag_t c_lflag;  // local: ISIG, ICANON, ECHO...
    cc_t c_line;       // line discipline (0: N_TTY)
    cc_t c_cc[NCCS];   // special characters, by the V* indices below
};

// 8 bytes: TIOCGWINSZ and TIOCSWINSZ.
struct winsize {
    uint16_t ws_row;
    uint16_t ws_col;
    uint16_t ws_xpixel;
    uint16_t ws_ypixel;
};

// NOLINTEND(readability-identifier-naming)

// c_cc indices.
#define VINTR 0  // ^C: SIGINT
#define VQUIT 1  // ^\: SIGQUIT
#define VERASE 2
#define VKILL 3
#define VEOF 4   // ^D
#define VTIME 5  // non-canonical read: timeout in tenths of a second
#define VMIN 6   // non-canonical read: bytes to wait for
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10  // ^Z: SIGTSTP
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

// c_iflag.
#define IGNBRK 0x001
#define BRKINT 0x002
#define IGNPAR 0x004
#define PARMRK 0x008
#define INPCK 0x010
#define ISTRIP 0x020
#define INLCR 0x040
#define IGNCR 0x080
#define ICRNL 0x100  // a CR typed reads as NL
#define IUCLC 0x0200
#define IXON 0x0400  // ^S and ^Q stop and start output
#define IXANY 0x800
#define IXOFF 0x1000
#define IMAXBEL 0x2000
#define IUTF8 0x4000

// c_oflag.
#define OPOST 0x01  // process output at all
#define OLCUC 0x02
#define ONLCR 0x04  // write NL as CR NL
#define OCRNL 0x08
#define ONOCR 0x10
#define ONLRET 0x20
#define OFILL 0x40
#define OFDEL 0x80

// c_cflag: the speed (B*, in CBAUD), character size, and the line's controls.
#define CBAUD 0x0000100f
#define B0 0x00000000  // hang up
#define B50 0x00000001
#define B75 0x00000002
#define B110 0x00000003
#define B134 0x00000004
#define B150 0x00000005
#define B200 0x00000006
#define B300 0x00000007
#define B600 0x00000008
#define B1200 0x00000009
#define B1800 0x0000000a
#define B2400 0x0000000b
#define B4800 0x0000000c
#define B9600 0x0000000d
#define B19200 0x0000000e
#define B38400 0x0000000f
#define CBAUDEX 0x00001000
#define BOTHER 0x00001000
#define B57600 0x00001001
#define B115200 0x00001002
#define B230400 0x00001003
#define B460800 0x00001004
#define B500000 0x00001005
#define B576000 0x00001006
#define B921600 0x00001007
#define B1000000 0x00001008
#define B1152000 0x00001009
#define B1500000 0x0000100a
#define B2000000 0x0000100b
#define B2500000 0x0000100c
#define B3000000 0x0000100d
#define B3500000 0x0000100e
#define B4000000 0x0000100f
#define CSIZE 0x00000030
#define CS5 0x00000000
#define CS6 0x00000010
#define CS7 0x00000020
#define CS8 0x00000030
#define CSTOPB 0x00000040
#define CREAD 0x00000080
#define PARENB 0x00000100
#define PARODD 0x00000200
#define HUPCL 0x00000400
#define CLOCAL 0x00000800
#define CIBAUD 0x100f0000
#define CMSPAR 0x40000000
#define CRTSCTS 0x80000000

// c_lflag.
#define ISIG 0x00001    // VINTR, VQUIT, VSUSP send their signals
#define ICANON 0x00002  // a line at a time, with editing
#define XCASE 0x00004
#define ECHO 0x00008
#define ECHOE 0x00010
#define ECHOK 0x00020
#define ECHONL 0x00040
#define NOFLSH 0x00080
#define TOSTOP 0x00100  // a background job's write is SIGTTOU
#define ECHOCTL 0x00200
#define ECHOPRT 0x00400
#define ECHOKE 0x00800
#define FLUSHO 0x01000
#define PENDIN 0x04000
#define IEXTEN 0x08000
#define EXTPROC 0x10000

// tcsetattr's actions, tcflow's and tcflush's arguments.
#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2
#define TCOOFF 0
#define TCOON 1
#define TCIOFF 2
#define TCION 3
#define TCIFLUSH 0
#define TCOFLUSH 1
#define TCIOFLUSH 2

// The tty ioctls (most predate _IOC and are plain numbers).
#define TCGETS 0x5401   // struct termios*: get
#define TCSETS 0x5402   // set now
#define TCSETSW 0x5403  // set once output has drained
#define TCSETSF 0x5404  // set once output has drained, discarding input
#define TCGETA 0x5405
#define TCSETA 0x5406
#define TCSETAW 0x5407
#define TCSETAF 0x5408
#define TCSBRK 0x5409
#define TCXONC 0x540A
#define TCFLSH 0x540B
#define TIOCEXCL 0x540C
#define TIOCNXCL 0x540D
#define TIOCSCTTY 0x540E  // make this the controlling terminal
#define TIOCGPGRP 0x540F  // pid_t*: the foreground process group
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411  // int*: bytes not yet sent
#define TIOCSTI 0x5412
#define TIOCGWINSZ 0x5413  // struct winsize*
#define TIOCSWINSZ 0x5414
#define TIOCMGET 0x5415
#define TIOCMBIS 0x5416
#define TIOCMBIC 0x5417
#define TIOCMSET 0x5418
#define TIOCGSOFTCAR 0x5419
#define TIOCSSOFTCAR 0x541A
#define FIONREAD 0x541B  // int*: bytes ready to read
#define TIOCINQ FIONREAD
#define TIOCLINUX 0x541C
#define TIOCCONS 0x541D
#define TIOCGSERIAL 0x541E
#define TIOCSSERIAL 0x541F
#define TIOCPKT 0x5420
#define FIONBIO 0x5421    // int*: nonzero sets O_NONBLOCK
#define TIOCNOTTY 0x5422  // give up the controlling terminal
#define TIOCSETD 0x5423
#define TIOCGETD 0x5424
#define TCSBRKP 0x5425
#define TIOCSBRK 0x5427
#define TIOCCBRK 0x5428
#define TIOCGSID 0x5429  // pid_t*: the terminal's session
#define TIOCGPTN _IOR('T', 0x30, uint32_t)
#define TIOCSPTLCK _IOW('T', 0x31, int32_t)
#define TIOCGDEV _IOR('T', 0x32, uint32_t)
#define TIOCSIG _IOW('T', 0x36, int32_t)
#define TIOCVHANGUP 0x5437
#define TIOCGPKT _IOR('T', 0x38, int32_t)
#define TIOCGPTLCK _IOR('T', 0x39, int32_t)
#define TIOCGEXCL _IOR('T', 0x40, int32_t)
#define TIOCGPTPEER _IO('T', 0x41)
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452
#define FIOQSIZE 0x5460
