// SPDX-License-Identifier: MIT
// keel's user runtime helpers (keel.h).
#include "keel.h"

size_t strlen(const char* text) {
    size_t n = 0;
    while (text[n] != '\0') ++n;
    return n;
}

void print(const char* text) {
    write(1, text, strlen(text));
}

void print_number(long value) {
    char digits[24];
    int at = sizeof digits;
    unsigned long magnitude = value < 0 ? -(unsigned long)value : (unsigned long)value;
    do {
        digits[--at] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) digits[--at] = '-';
    write(1, digits + at, sizeof digits - at);
}

// The compilers may call these for struct copies and zeroing.
void* memset(void* to, int value, size_t size) {
    unsigned char* p = to;
    while (size--) *p++ = (unsigned char)value;
    return to;
}
void* memcpy(void* to, const void* from, size_t size) {
    unsigned char* p = to;
    const unsigned char* q = from;
    while (size--) *p++ = *q++;
    return to;
}

// --- printf -------------------------------------------------------------------------------

static void put_unsigned(unsigned long value, unsigned base) {
    char digits[24];
    int at = sizeof digits;
    do {
        digits[--at] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value != 0);
    write(1, digits + at, sizeof digits - at);
}

int printf(const char* format, ...) {
    __builtin_va_list args;
    __builtin_va_start(args, format);
    const char* run = format;
    for (const char* at = format; *at != '\0'; ++at) {
        if (*at != '%') continue;
        write(1, run, (size_t)(at - run));
        const int is_long = at[1] == 'l';
        const char kind = at[1 + is_long];
        if (kind == 's') {
            const char* text = __builtin_va_arg(args, const char*);
            print(text != 0 ? text : "(null)");
        } else if (kind == 'c') {
            const char c = (char)__builtin_va_arg(args, int);
            write(1, &c, 1);
        } else if (kind == 'd') {
            print_number(is_long ? __builtin_va_arg(args, long) : __builtin_va_arg(args, int));
        } else if (kind == 'u' || kind == 'x') {
            const unsigned long value =
                is_long ? __builtin_va_arg(args, unsigned long) : __builtin_va_arg(args, unsigned);
            put_unsigned(value, kind == 'x' ? 16 : 10);
        } else if (kind == 'p') {
            print("0x");
            put_unsigned((unsigned long)__builtin_va_arg(args, void*), 16);
        } else {
            write(1, "%", 1);  // "%%", or a directive this printf does not know
            if (kind != '%') --at;
        }
        at += is_long + 1;
        run = at + 1;
        if (kind == '\0') break;
    }
    write(1, run, strlen(run));
    __builtin_va_end(args);
    return 0;
}

// --- malloc over brk -----------------------------------------------------------------------

static char* heap_end;  // where the next block goes (0: not asked yet)
static char* last;      // the newest block, which free() may give back

void* malloc(size_t size) {
    if (heap_end == 0) heap_end = (char*)syscall6(SYS_brk, 0, 0, 0, 0, 0, 0);
    char* block = (char*)(((unsigned long)heap_end + 15) & ~15ul);
    char* end = block + size;
    if ((char*)syscall6(SYS_brk, (long)end, 0, 0, 0, 0, 0) != end) return 0;
    heap_end = end;
    last = block;
    return block;
}

void free(void* block) {
    if (block != 0 && block == last) {
        heap_end = last;
        last = 0;
    }
}

// --- checks for the test programs ------------------------------------------------------------

static int passed;
static int failed;

void check(const char* program, const char* what, long got, long want) {
    if (got == want) {
        ++passed;
        return;
    }
    ++failed;
    printf("%s: FAIL %s: got %ld, want %ld\n", program, what, got, want);
}

int checks_passed(void) {
    return passed;
}

int checks_failed(void) {
    return failed;
}
