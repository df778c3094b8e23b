// SPDX-License-Identifier: MIT
// tmpfs's mount options (include/keel/lib/tmpfs_options.h): split at commas, each item a key and
// perhaps a value, each key checked against the table of what it takes.
#include <keel/lib/number.h>
#include <keel/lib/tmpfs_options.h>

namespace keel::tmpfs_options {
namespace {

// An unsigned number in C's notation (0x: hex, 0: octal, else decimal), or in `base` when it is
// not 0, from `at`; `at` moves past its digits. False on overflow. No digits read as 0.
bool read_number(StringView text, size_t& at, unsigned base, uint64_t& value) {
    if (base == 0) {
        base = 10;
        if (at < text.size && text.data[at] == '0') {
            base = 8;
            if (at + 2 < text.size && (text.data[at + 1] == 'x' || text.data[at + 1] == 'X') &&
                digit_value(text.data[at + 2], 16) >= 0) {
                base = 16;
                at += 2;
            }
        }
    }
    return read_digits(text, at, base, value);
}

// memparse's suffixes: K, M, G, T, P, E, either case, each 1024 times the last.
unsigned suffix_shift(char c) {
    const char* const suffixes = "kmgtpe";
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    for (unsigned i = 0; suffixes[i] != '\0'; ++i) {
        if (suffixes[i] == lower) return 10 * (i + 1);
    }
    return 0;
}

// A size as memparse reads it: a number, then perhaps a suffix; `at` moves past both.
bool read_size(StringView text, size_t& at, uint64_t& value) {
    if (!read_number(text, at, 0, value)) return false;
    if (at == text.size) return true;
    const unsigned shift = suffix_shift(text.data[at]);
    if (shift == 0) return true;
    ++at;
    if (value > (UINT64_MAX >> shift)) return false;
    value <<= shift;
    return true;
}

// A whole value that is a size and nothing else.
bool whole_size(StringView text, uint64_t& value) {
    size_t at = 0;
    return read_size(text, at, value) && at == text.size;
}

// A whole value that is a 32-bit number in `base` (0: C's notation), as kstrtouint: digits
// required, a '+' and a last newline allowed.
bool whole_u32(StringView text, unsigned base, uint32_t& out) {
    size_t at = text.size > 0 && text.data[0] == '+' ? 1 : 0;
    const size_t start = at;
    uint64_t value = 0;
    if (!read_number(text, at, base, value) || at == start || value > UINT32_MAX) return false;
    if (at < text.size && text.data[at] == '\n') ++at;
    if (at != text.size) return false;
    out = static_cast<uint32_t>(value);
    return true;
}

uint64_t pages_for(uint64_t bytes) {
    return bytes / kPageSize + (bytes % kPageSize != 0 ? 1 : 0);
}

// size=: bytes, or a percentage of RAM.
bool read_size_option(StringView text, uint64_t ram_pages, uint64_t& pages) {
    size_t at = 0;
    uint64_t size = 0;
    if (!read_size(text, at, size)) return false;
    if (at < text.size && text.data[at] == '%') {
        ++at;
        // N% of RAM, in bytes: N pages' bytes times the pages, over 100 (overflow refused).
        if (size > UINT64_MAX / kPageSize) return false;
        size *= kPageSize;
        if (ram_pages != 0 && size > UINT64_MAX / ram_pages) return false;
        size = size * ram_pages / 100;
    }
    if (at != text.size) return false;
    pages = pages_for(size);
    return true;
}

bool is_one_of(StringView key, const char* const* words) {
    for (; *words != nullptr; ++words) {
        if (equals(key, *words)) return true;
    }
    return false;
}

// The options without a value: the VFS's superblock flags and tmpfs's own.
constexpr const char* kFlags[] = {"ro",       "rw",         "sync", "async",  "dirsync",
                                  "lazytime", "nolazytime", "mand", "nomand", "inode32",
                                  "inode64",  "noswap",     nullptr};
constexpr const char* kHuge[] = {"never", "always", "within_size", "advise", nullptr};

// One item: `key`, and `value` when it had an '=' (`has_value`).
bool apply(StringView key, StringView value, bool has_value, uint64_t ram_pages, Options& o) {
    if (!has_value) return is_one_of(key, kFlags);
    if (value.empty()) return false;  // a string parameter may not be empty
    uint64_t number = 0;
    if (equals(key, "size")) return read_size_option(value, ram_pages, o.max_pages);
    if (equals(key, "nr_blocks")) {
        if (!whole_size(value, number) || number > INT64_MAX) return false;
        o.max_pages = number;
        return true;
    }
    if (equals(key, "nr_inodes")) {
        if (!whole_size(value, number)) return false;
        o.max_inodes = number;
        return true;
    }
    if (equals(key, "mode")) {
        uint32_t mode = 0;
        if (!whole_u32(value, 8, mode)) return false;
        o.mode = mode & 07777;
        return true;
    }
    if (equals(key, "uid") || equals(key, "gid")) {
        uint32_t id = 0;
        if (!whole_u32(value, 0, id) || id == UINT32_MAX) return false;  // (uid_t)-1: no one
        (equals(key, "uid") ? o.uid : o.gid) = id;
        return true;
    }
    if (equals(key, "huge")) return is_one_of(value, kHuge);
    return false;
}

}  // namespace

bool parse(StringView data, uint64_t ram_pages, Options& options) {
    size_t at = 0;
    while (at < data.size) {
        size_t end = at;
        while (end < data.size && data.data[end] != ',') ++end;
        const StringView item{data.data + at, end - at};
        at = end + 1;
        if (item.empty()) continue;
        size_t equal = 0;
        while (equal < item.size && item.data[equal] != '=') ++equal;
        if (equal == 0) continue;  // "=value": skipped, as Linux does
        const bool has_value = equal < item.size;
        const StringView key{item.data, equal};
        const StringView value = has_value ? item.after(equal + 1) : StringView{};
        if (!apply(key, value, has_value, ram_pages, options)) return false;
    }
    return true;
}

}  // namespace keel::tmpfs_options
