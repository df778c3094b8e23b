// SPDX-License-Identifier: MIT
// cpio newc reader (include/keel/lib/cpio.h).
#include <keel/lib/cpio.h>
#include <keel/lib/memory.h>

namespace keel::cpio {
namespace {

constexpr size_t kHeaderSize = 110;
constexpr size_t kFieldSize = 8;
constexpr char kTrailer[] = "TRAILER!!!";

// The header's fields after the 6-byte magic, in order.
enum Field : size_t {
    kIno,
    kMode,
    kUid,
    kGid,
    kNlink,
    kMtime,
    kFileSize,
    kDevMajor,
    kDevMinor,
    kRdevMajor,
    kRdevMinor,
    kNameSize,
    kCheck,
};

constexpr size_t align4(size_t n) {
    return (n + 3) & ~size_t{3};
}

bool hex_field(const uint8_t* header, Field field, uint32_t& value) {
    const uint8_t* digits = header + 6 + field * kFieldSize;
    value = 0;
    for (size_t i = 0; i < kFieldSize; ++i) {
        const uint8_t c = digits[i];
        uint32_t digit;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            return false;
        }
        value = value << 4 | digit;
    }
    return true;
}

}  // namespace

const char* error_name(Error error) {
    switch (error) {
    case Error::kTruncatedHeader: return "a header runs past the end";
    case Error::kBadMagic: return "not a cpio newc header (magic 070701)";
    case Error::kBadNumber: return "a header field is not 8 hex digits";
    case Error::kBadNameSize: return "a name size is 0 or runs past the end";
    case Error::kNameNotTerminated: return "a name is not NUL-terminated";
    case Error::kTruncatedData: return "a file's data runs past the end";
    case Error::kNoTrailer: return "no TRAILER!!! entry";
    }
    return "?";
}

StringView normalize(StringView path) {
    for (;;) {
        const bool slash = path.size >= 1 && path.data[0] == '/';
        const bool dot_slash = path.size >= 2 && path.data[0] == '.' && path.data[1] == '/';
        const bool lone_dot = path.size == 1 && path.data[0] == '.';
        if (!slash && !dot_slash && !lone_dot) break;
        path = path.after(dot_slash ? 2 : 1);
    }
    while (path.size > 0 && path.data[path.size - 1] == '/') --path.size;
    return path;
}

Result<Entry, Error> Archive::read(size_t at) const {
    if (at > size_ || size_ - at < kHeaderSize) return Error::kTruncatedHeader;
    const uint8_t* header = base_ + at;
    if (memcmp(header, "07070", 5) != 0 || (header[5] != '1' && header[5] != '2'))
        return Error::kBadMagic;
    uint32_t fields[kCheck + 1];
    for (size_t f = 0; f <= kCheck; ++f) {
        if (!hex_field(header, static_cast<Field>(f), fields[f])) return Error::kBadNumber;
    }
    const size_t name_size = fields[kNameSize];
    const size_t name_end = at + kHeaderSize + name_size;  // cannot overflow: both are small
    if (name_size == 0 || name_end > size_) return Error::kBadNameSize;
    const auto* name = reinterpret_cast<const char*>(header + kHeaderSize);
    if (memchr(name, '\0', name_size) != name + name_size - 1) return Error::kNameNotTerminated;
    const size_t data_at = align4(name_end);
    const size_t file_size = fields[kFileSize];
    if (data_at > size_ || size_ - data_at < file_size) return Error::kTruncatedData;
    Entry entry;
    entry.name = normalize(StringView{name, name_size - 1});
    entry.mode = fields[kMode];
    entry.ino = fields[kIno];
    entry.uid = fields[kUid];
    entry.gid = fields[kGid];
    entry.nlink = fields[kNlink];
    entry.mtime = fields[kMtime];
    entry.dev_major = fields[kDevMajor];
    entry.dev_minor = fields[kDevMinor];
    entry.rdev_major = fields[kRdevMajor];
    entry.rdev_minor = fields[kRdevMinor];
    entry.data = base_ + data_at;
    entry.size = file_size;
    entry.offset = at;
    return entry;
}

size_t Archive::next_offset(const Entry& entry) const {
    return align4(static_cast<size_t>(entry.data - base_) + entry.size);
}

Result<Archive, Failure> Archive::open(const void* base, size_t size) {
    Archive archive;
    archive.base_ = static_cast<const uint8_t*>(base);
    archive.size_ = size;
    size_t at = 0;
    for (;;) {
        const auto entry = archive.read(at);
        if (!entry.ok()) {
            // Zero padding after the last entry is allowed; running out before the trailer is not.
            // (The last entry's padding may reach past the end: name the end then.)
            return Failure{at >= size ? Error::kNoTrailer : entry.error(), at < size ? at : size};
        }
        const StringView name = entry.value().name;
        if (equals(name, kTrailer)) return archive;
        ++archive.count_;
        at = archive.next_offset(entry.value());
    }
}

bool Archive::find(StringView path, Entry& out) const {
    const StringView want = normalize(path);
    bool found = false;
    for_each([&](const Entry& entry) {
        if (!found && entry.name.equals(want)) {
            out = entry;
            found = true;
        }
    });
    return found;
}

}  // namespace keel::cpio
