// SPDX-License-Identifier: MIT
// sigfuzz [N] [SEED]: N children, each of which forges a signal frame on its stack and calls
// rt_sigreturn with it: random bytes; or a frame rt_sigreturn accepts (its reserved words and
// extension header zero) whose registers are random: a pc in the kernel, in its own code, at 0;
// an sp anywhere; a mask with SIGKILL in it. Whatever the frame, the kernel must take back only
// what a program may set: the child dies of SIGSEGV (a refused frame, or a fault where the forged
// pc or sp leads) or of another fault's signal, and the kernel stays up. The parent counts how
// the children ended and prints it; every page must come back (the test checks).
#include "keel.h"

static unsigned long state = 0x2545f4914f6cdd1dul;

static unsigned long next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

enum { kFrameWords = 1088 / 8, kRegsAt = 304 / 8, kFcsrAt = 816 / 8, kEndAt = 1072 / 8 };

static unsigned long pick_pc(void) {
    switch (next() % 5) {
    case 0: return 0xffffffff80200000ul + (next() % 0x200000 & ~3ul);  // the kernel's image
    case 1: return (unsigned long)&next;                               // its own code
    case 2: return 0;
    case 3: return 0xffffffc000000000ul + (next() % 0x10000000 & ~3ul);  // the direct map
    default: return next();
    }
}

// The child: a frame on its stack, then rt_sigreturn. It never comes back here.
static void forge_and_return(unsigned long frame[kFrameWords]) {
    for (int i = 0; i < kFrameWords; ++i) frame[i] = next() % 4 == 0 ? 0 : next();
    if (next() % 2 == 0) {  // a frame rt_sigreturn accepts: reserved words and END header zero
        frame[kEndAt] = frame[kEndAt + 1] = 0;
        frame[kRegsAt] = pick_pc();
        frame[kRegsAt + 2] = next() % 2 ? next() : 0xffffffe000000000ul;  // sp: anywhere
        frame[kFcsrAt] = next();
        frame[168 / 8] = ~0ul;  // uc_sigmask: every signal, SIGKILL and SIGSTOP too
    }
    register unsigned long sp asm("a0") = (unsigned long)frame;
    asm volatile("mv sp, a0\n li a7, 139\n ecall" : : "r"(sp) : "memory");
    __builtin_unreachable();
}

int main(int argc, char** argv) {
    const long count = argc > 1 ? parse_number(argv[1]) : 1000;
    if (argc > 2) state ^= (unsigned long)parse_number(argv[2]) * 0x9e3779b97f4a7c15ul;
    long by_signal[65] = {0};
    long exited = 0;
    for (long i = 0; i < count; ++i) {
        next();  // each child forges from its own place in the sequence
        const pid_t child = fork();
        if (child == 0) {
            unsigned long frame[kFrameWords + 64];
            forge_and_return(frame + 32);
        }
        int status = 0;
        if (child < 0 || waitpid(child, &status, 0) != child) {
            printf("sigfuzz: fork or wait failed at child %ld\n", i);
            return 1;
        }
        if ((status & 0x7f) != 0)
            ++by_signal[status & 0x7f];
        else
            ++exited;
    }
    printf(
        "sigfuzz: %ld forged frames: %ld SIGSEGV, %ld SIGBUS, %ld SIGILL, %ld other signals, "
        "%ld exits; the kernel is still here\n",
        count, by_signal[11], by_signal[7], by_signal[4],
        count - exited - by_signal[11] - by_signal[7] - by_signal[4], exited);
    return 0;
}
