// SPDX-License-Identifier: MIT
// The C memory/string functions the compilers may call on their own (struct copies, zeroing) and
// that keel uses directly. The kernel implements them in src/lib/memory.cpp; the host has libc's.
#pragma once
#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
extern "C" {
void* memcpy(void* destination, const void* source, size_t count);
void* memmove(void* destination, const void* source, size_t count);
void* memset(void* destination, int value, size_t count);
int memcmp(const void* a, const void* b, size_t count);
void* memchr(const void* haystack, int byte, size_t count);
size_t strlen(const char* text);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t count);
char* strstr(const char* haystack, const char* needle);
}
#endif
