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
