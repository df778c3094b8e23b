// SPDX-License-Identifier: MIT
// Helpers for the device-tree tests: the .dtb files dtc built from tests/host/dts, exact-size heap
// copies (so AddressSanitizer flags any read past a blob's last byte), and a small builder for the
// hand-made blobs dtc would refuse to write. The blob layout itself is in fdt_blob_layout.h.
#pragma once
#include <gtest/gtest.h>
#include <keel/lib/fdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <initializer_list>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "fdt_blob_layout.h"

#ifndef KEEL_TEST_DTB_DIR
#error "KEEL_TEST_DTB_DIR must name the directory of the compiled test blobs (tests/host/fdt.cmake)"
#endif

namespace keel::fdt {

// gtest prints an Error by its name.
inline void PrintTo(Error error, std::ostream* out) {
    *out << error_name(error);
}

namespace test {

// The blob dtc compiled from tests/host/dts/<name>.dts; empty (and a test failure) if unreadable.
inline Bytes load_dtb(const char* name) {
    const std::string path = std::string(KEEL_TEST_DTB_DIR) + "/" + name + ".dtb";
    Bytes bytes;
    FILE* file = fopen(path.c_str(), "rb");
    if (file == nullptr) {
        ADD_FAILURE() << "cannot open " << path << " (built by tests/host/fdt.cmake)";
        return bytes;
    }
    uint8_t chunk[4096];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, file)) > 0;) {
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    fclose(file);
    return bytes;
}

// A copy of some bytes at the very end of a heap block of exactly the right size, `misalign` bytes
// after the block's (16-byte aligned) start, so a read one past the end is an ASan report.
class Blob {
public:
    explicit Blob(const Bytes& bytes, size_t misalign = 0)
        : storage_(new uint8_t[misalign + bytes.size()]), misalign_(misalign), size_(bytes.size()) {
        if (!bytes.empty()) memcpy(storage_.get() + misalign_, bytes.data(), bytes.size());
    }
    const uint8_t* data() const { return storage_.get() + misalign_; }
    size_t size() const { return size_; }

private:
    std::unique_ptr<uint8_t[]> storage_;
    size_t misalign_;
    size_t size_;
};

// Opens a copy of `bytes` (limit: exactly its size); an error is a test failure.
struct OpenTree {
    explicit OpenTree(const Bytes& bytes, size_t misalign = 0) : blob(bytes, misalign) {
        const auto opened = DeviceTree::open(blob.data(), blob.size());
        EXPECT_TRUE(opened.ok()) << "open: " << error_name(opened.error());
        tree = opened.value();
    }
    Node node(const char* path) const {
        const auto found = tree.find_path(path);
        EXPECT_TRUE(found.ok()) << path << ": " << error_name(found.error());
        return found.value();
    }

    Blob blob;
    DeviceTree tree;
};

// Opens a copy of `bytes` and reports only how that went: its total size, or the error. (After a
// successful open error() is Error{0}, "unknown error", so expecting a particular error fails.)
inline Result<uint32_t, Error> open_status(const Bytes& bytes) {
    const Blob blob(bytes);
    const auto opened = DeviceTree::open(blob.data(), blob.size());
    if (!opened.ok()) return opened.error();
    return opened.value().total_size();
}

// Writes a version 17 blob token by token: header, the reservation map (reserve(), else empty),
// the structure block as written (add end() yourself, or leave it out on purpose), then the strings
// block.
class TreeBuilder {
public:
    TreeBuilder& begin_node(const std::string& name) {
        append_be32(struct_, kBeginNodeToken);
        struct_.insert(struct_.end(), name.begin(), name.end());
        struct_.push_back(0);
        pad();
        return *this;
    }
    TreeBuilder& end_node() { return token(kEndNodeToken); }
    TreeBuilder& nop() { return token(kNopToken); }
    TreeBuilder& end() { return token(kEndToken); }
    TreeBuilder& token(uint32_t value) {
        append_be32(struct_, value);
        return *this;
    }
    TreeBuilder& property(const std::string& name, const Bytes& value) {
        append_be32(struct_, kPropToken);
        append_be32(struct_, static_cast<uint32_t>(value.size()));
        append_be32(struct_, name_offset(name));
        struct_.insert(struct_.end(), value.begin(), value.end());
        pad();
        return *this;
    }
    TreeBuilder& string(const std::string& name, const std::string& value) {
        Bytes bytes(value.begin(), value.end());
        bytes.push_back(0);
        return property(name, bytes);
    }
    TreeBuilder& cells(const std::string& name, std::initializer_list<uint32_t> values) {
        Bytes bytes;
        for (uint32_t value : values) append_be32(bytes, value);
        return property(name, bytes);
    }
    // An entry of the memory-reservation block (§5.3).
    TreeBuilder& reserve(uint64_t address, uint64_t size) {
        reservations_.push_back({address, size});
        return *this;
    }
    Bytes build() const {
        Bytes blob(kHeaderSize, 0);
        for (const auto& [address, size] : reservations_) {
            append_be32(blob, static_cast<uint32_t>(address >> 32));
            append_be32(blob, static_cast<uint32_t>(address));
            append_be32(blob, static_cast<uint32_t>(size >> 32));
            append_be32(blob, static_cast<uint32_t>(size));
        }
        blob.resize(blob.size() + 16, 0);  // the map's terminating entry
        const size_t struct_offset = blob.size();
        blob.insert(blob.end(), struct_.begin(), struct_.end());
        const size_t strings_offset = blob.size();
        blob.insert(blob.end(), strings_.begin(), strings_.end());
        put_be32(blob, kMagicField, 0xd00dfeed);
        put_be32(blob, kTotalSizeField, static_cast<uint32_t>(blob.size()));
        put_be32(blob, kStructOffsetField, static_cast<uint32_t>(struct_offset));
        put_be32(blob, kStringsOffsetField, static_cast<uint32_t>(strings_offset));
        put_be32(blob, kReservationsField, kHeaderSize);
        put_be32(blob, kVersionField, 17);
        put_be32(blob, kLastCompVersionField, 16);
        put_be32(blob, kStringsSizeField, static_cast<uint32_t>(strings_.size()));
        put_be32(blob, kStructSizeField, static_cast<uint32_t>(struct_.size()));
        return blob;
    }

private:
    void pad() {
        while (struct_.size() % 4 != 0) struct_.push_back(0);
    }
    uint32_t name_offset(const std::string& name) {
        const size_t at = strings_.find(name + '\0');
        if (at != std::string::npos) return static_cast<uint32_t>(at);
        strings_.append(name).push_back('\0');
        return static_cast<uint32_t>(strings_.size() - name.size() - 1);
    }

    Bytes struct_;
    std::string strings_;
    std::vector<std::pair<uint64_t, uint64_t>> reservations_;
};

}  // namespace test
}  // namespace keel::fdt
