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
    printf("%ld", value);
}

// --- errors ---------------------------------------------------------------------------------

const char* error_text(long error) {
    switch (error < 0 ? -error : error) {
    case EPERM: return "Operation not permitted";
    case ENOENT: return "No such file or directory";
    case ESRCH: return "No such process";
    case EINTR: return "Interrupted system call";
    case EIO: return "Input/output error";
    case ENXIO: return "No such device or address";
    case E2BIG: return "Argument list too long";
    case ENOEXEC: return "Exec format error";
    case EBADF: return "Bad file descriptor";
    case ECHILD: return "No child processes";
    case EAGAIN: return "Resource temporarily unavailable";
    case ENOMEM: return "Cannot allocate memory";
    case EACCES: return "Permission denied";
    case EFAULT: return "Bad address";
    case EBUSY: return "Device or resource busy";
    case EEXIST: return "File exists";
    case ENODEV: return "No such device";
    case ENOTDIR: return "Not a directory";
    case EISDIR: return "Is a directory";
    case EINVAL: return "Invalid argument";
    case EMFILE: return "Too many open files";
    case ENOTTY: return "Inappropriate ioctl for device";
    case EFBIG: return "File too large";
    case ENOSPC: return "No space left on device";
    case ESPIPE: return "Illegal seek";
    case EROFS: return "Read-only file system";
    case EPIPE: return "Broken pipe";
    case ENAMETOOLONG: return "File name too long";
    case ENOSYS: return "Function not implemented";
    case ENOTEMPTY: return "Directory not empty";
    case ELOOP: return "Too many levels of symbolic links";
    default: return "Unknown error";
    }
}

void print_error(const char* program, const char* what, long error) {
    const char* parts[] = {program, ": ", what, ": ", error_text(error)};
    char line[512];  // one write: the line cannot be split by another program's output
    size_t used = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; ++i) {
        for (const char* c = parts[i]; *c != '\0' && used + 1 < sizeof line; ++c) line[used++] = *c;
    }
    line[used++] = '\n';
    write(2, line, used);
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

// --- open -----------------------------------------------------------------------------------

int open(const char* path, int flags, ...) {
    mode_t mode = 0;
    if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
        __builtin_va_list args;
        __builtin_va_start(args, flags);
        mode = __builtin_va_arg(args, mode_t);
        __builtin_va_end(args);
    }
    return openat(AT_FDCWD, path, flags, mode);
}

// --- printf -------------------------------------------------------------------------------

// printf's output, gathered so that a line goes out in one write (whole, beside other programs').
struct output {
    char buffer[256];
    size_t used;
    int total;
};

static void flush(struct output* out) {
    if (out->used != 0) write(1, out->buffer, out->used);
    out->used = 0;
}

static void put(struct output* out, const char* text, size_t size) {
    for (size_t i = 0; i < size; ++i) {
        if (out->used == sizeof out->buffer) flush(out);
        out->buffer[out->used++] = text[i];
    }
    out->total += (int)size;
}

static void pad(struct output* out, char with, int count) {
    for (int i = 0; i < count; ++i) put(out, &with, 1);
}

// One directive's field: its text (a sign apart), padded to `width`.
struct field {
    int width;
    int left;   // the - flag
    int zeros;  // the 0 flag
};

static void put_field(struct output* out, const struct field* field, const char* sign,
                      const char* text, size_t size) {
    const int missing = field->width - (int)(strlen(sign) + size);
    if (!field->left && !field->zeros) pad(out, ' ', missing);
    put(out, sign, strlen(sign));
    if (!field->left && field->zeros) pad(out, '0', missing);
    put(out, text, size);
    if (field->left) pad(out, ' ', missing);
}

static void put_number(struct output* out, const struct field* field, unsigned long value,
                       unsigned base, int upper, const char* sign) {
    const char* digit = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int at = sizeof digits;
    do {
        digits[--at] = digit[value % base];
        value /= base;
    } while (value != 0);
    put_field(out, field, sign, digits + at, sizeof digits - at);
}

int printf(const char* format, ...) {
    __builtin_va_list args;
    __builtin_va_start(args, format);
    struct output out;
    out.used = 0;
    out.total = 0;
    for (const char* at = format; *at != '\0'; ++at) {
        if (*at != '%') {
            put(&out, at, 1);
            continue;
        }
        struct field field = {0, 0, 0};
        for (++at; *at == '-' || *at == '0'; ++at) *(*at == '-' ? &field.left : &field.zeros) = 1;
        if (*at == '*') {  // the width from an argument; a negative one left-justifies
            field.width = __builtin_va_arg(args, int);
            if (field.width < 0) {
                field.left = 1;
                field.width = -field.width;
            }
            ++at;
        }
        for (; *at >= '0' && *at <= '9'; ++at) field.width = field.width * 10 + (*at - '0');
        int is_long = 0;  // l, ll and z: all 64 bits here
        for (; *at == 'l' || *at == 'z'; ++at) is_long = 1;
        const char kind = *at;
        if (kind == 'd' || kind == 'i') {
            const long value = is_long ? __builtin_va_arg(args, long) : __builtin_va_arg(args, int);
            const unsigned long magnitude =
                value < 0 ? -(unsigned long)value : (unsigned long)value;
            put_number(&out, &field, magnitude, 10, 0, value < 0 ? "-" : "");
        } else if (kind == 'u' || kind == 'x' || kind == 'X' || kind == 'o') {
            const unsigned long value =
                is_long ? __builtin_va_arg(args, unsigned long) : __builtin_va_arg(args, unsigned);
            const unsigned base = kind == 'u' ? 10 : kind == 'o' ? 8 : 16;
            put_number(&out, &field, value, base, kind == 'X', "");
        } else if (kind == 'p') {
            put_number(&out, &field, (unsigned long)__builtin_va_arg(args, void*), 16, 0, "0x");
        } else if (kind == 's') {
            const char* text = __builtin_va_arg(args, const char*);
            if (text == 0) text = "(null)";
            put_field(&out, &field, "", text, strlen(text));
        } else if (kind == 'c') {
            const char c = (char)__builtin_va_arg(args, int);
            put_field(&out, &field, "", &c, 1);
        } else if (kind == '%') {
            put(&out, "%", 1);
        } else {
            break;  // a directive this printf does not know (the compiler warned): stop here
        }
    }
    flush(&out);
    __builtin_va_end(args);
    return out.total;
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
