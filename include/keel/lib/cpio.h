// SPDX-License-Identifier: MIT
// A reader for cpio "newc" archives, the initramfs format (what `cpio -o -H newc` writes and Linux
// reads; its layout: Linux's Documentation/driver-api/early-userspace/buffer-format.rst). Each
// entry is a 110-byte ASCII header (magic 070701, or 070702 with a checksum, then 13 fields of 8
// hex digits), the name (namesize bytes with its NUL), padding to 4, the data, padding to 4; the
// entry named TRAILER!!! ends the archive. open() checks every header, name and length before
// anything is read through it; names come back without a leading "./" or "/". Portable.
#pragma once
#include <keel/lib/result.h>
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::cpio {

enum class Error : uint8_t {
    kTruncatedHeader,    // fewer than 110 bytes left where a header must be
    kBadMagic,           // not 070701 / 070702
    kBadNumber,          // a header field that is not 8 hex digits
    kBadNameSize,        // namesize 0, or past the end of the archive
    kNameNotTerminated,  // the name's last byte is not NUL, or a NUL comes earlier
    kTruncatedData,      // filesize runs past the end of the archive
    kNoTrailer,          // the archive ends without a TRAILER!!! entry
};
const char* error_name(Error error);

// Where an archive is wrong: what, and the offset of the entry's header.
struct Failure {
    Error error;
    size_t offset;
};

// File types, from the mode's S_IFMT bits (POSIX <sys/stat.h>).
inline constexpr uint32_t kTypeMask = 0170000;
inline constexpr uint32_t kDirectory = 0040000;
inline constexpr uint32_t kRegular = 0100000;
inline constexpr uint32_t kSymlink = 0120000;
inline constexpr uint32_t kCharDevice = 0020000;
inline constexpr uint32_t kBlockDevice = 0060000;
inline constexpr uint32_t kFifo = 0010000;

struct Entry {
    StringView name;  // "bin/hello"; empty for the archive's root (".")
    uint32_t mode = 0;
    uint32_t ino = 0;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t nlink = 0;  // a hard-linked file's names share ino; its data comes with the last one
    uint64_t mtime = 0;
    uint32_t dev_major = 0;  // the device the file was on (with ino: the file's identity)
    uint32_t dev_minor = 0;
    uint32_t rdev_major = 0;  // a device file's own number
    uint32_t rdev_minor = 0;
    const uint8_t* data = nullptr;
    size_t size = 0;
    size_t offset = 0;  // of its header in the archive

    bool is_directory() const { return (mode & kTypeMask) == kDirectory; }
    bool is_regular() const { return (mode & kTypeMask) == kRegular; }
};

class Archive {
public:
    // Checks the whole archive once: every later read stays inside [base, base + size).
    static Result<Archive, Failure> open(const void* base, size_t size);
    Archive() = default;

    // Entries in archive order, the trailer left out.
    size_t count() const { return count_; }
    template <typename F>
    void for_each(F f) const {
        size_t at = 0;
        for (size_t i = 0; i < count_; ++i) {
            const Entry entry = read(at).value();  // open() checked every one
            f(entry);
            at = next_offset(entry);
        }
    }
    // The entry at `path` ("/bin/hello", "bin/hello" or "./bin/hello"; "/" is the root): true
    // and `out` set when there is one.
    bool find(StringView path, Entry& out) const;

private:
    Result<Entry, Error> read(size_t at) const;
    size_t next_offset(const Entry& entry) const;

    const uint8_t* base_ = nullptr;
    size_t size_ = 0;
    size_t count_ = 0;
};

// `path` without leading "/" and "./" pieces (and without a trailing "/"): how entries are named.
StringView normalize(StringView path);

}  // namespace keel::cpio
