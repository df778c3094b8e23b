// SPDX-License-Identifier: MIT
// A second reading of a blob's structure block, written from the Devicetree Specification v0.4
// (§5.4: tokens, §5.5: names in the strings block) and sharing nothing with src/lib/fdt.cpp, for
// tests to hold the reader against: the nodes and properties in block order, or "malformed".
// It takes the header's block offsets and sizes as they stand (use it on blobs whose header the
// reader accepted) and reads with at(), so a block outside the blob throws instead of reading past
// it. Plain C++ without GoogleTest: tests/fuzz uses it too.
#pragma once
#include <keel/lib/fdt.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <string>
#include <vector>

#include "fdt_blob_layout.h"

namespace keel::fdt::test {

struct ReferenceProperty {
    uint32_t name_offset;   // in the strings block
    uint32_t value_offset;  // in the structure block
    uint32_t size;
};

struct ReferenceNode {
    uint32_t offset;  // of its FDT_BEGIN_NODE token, in the structure block
    std::string name;
    int parent;  // index into ReferenceTree::nodes; -1 for the root
    std::vector<ReferenceProperty> properties;
};

struct ReferenceTree {
    bool well_formed = false;
    std::vector<ReferenceNode> nodes;  // depth first, as the tokens come
    uint32_t struct_offset = 0;        // the blocks, from the header
    uint32_t struct_size = 0;
    uint32_t strings_offset = 0;
    uint32_t strings_size = 0;
};

class ReferenceReader {
public:
    explicit ReferenceReader(const Bytes& blob)
        : blob_(blob),
          struct_(get_be32(blob, kStructOffsetField)),
          struct_size_(get_be32(blob, kStructSizeField)),
          strings_(get_be32(blob, kStringsOffsetField)),
          strings_size_(get_be32(blob, kStringsSizeField)) {}

    ReferenceTree read() {
        ReferenceTree tree;
        tree.struct_offset = static_cast<uint32_t>(struct_);
        tree.struct_size = static_cast<uint32_t>(struct_size_);
        tree.strings_offset = static_cast<uint32_t>(strings_);
        tree.strings_size = static_cast<uint32_t>(strings_size_);
        std::vector<int> open;        // the nodes not yet closed, outermost first
        std::vector<bool> had_child;  // per open node: properties must come before children
        for (uint64_t at = 0; at + 4 <= struct_size_;) {
            const uint32_t token = get_be32(blob_, struct_ + at);
            const uint64_t after = at + 4;
            if (token == kBeginNodeToken) {
                if ((open.empty() && !tree.nodes.empty()) || open.size() == kMaxDepth) break;
                const uint64_t nul = find_nul(struct_ + after, struct_ + struct_size_);
                if (nul == 0) break;
                if (!open.empty()) had_child.back() = true;
                tree.nodes.push_back(ReferenceNode{static_cast<uint32_t>(at),
                                                   text(struct_ + after, nul - 1),
                                                   open.empty() ? -1 : open.back(),
                                                   {}});
                open.push_back(static_cast<int>(tree.nodes.size() - 1));
                had_child.push_back(false);
                at = padded(after + nul);
            } else if (token == kEndNodeToken) {
                if (open.empty()) break;
                open.pop_back();
                had_child.pop_back();
                at = after;
            } else if (token == kPropToken) {
                if (open.empty() || had_child.back() || after + 8 > struct_size_) break;
                const uint32_t size = get_be32(blob_, struct_ + after);
                const uint32_t name = get_be32(blob_, struct_ + after + 4);
                const uint64_t value = after + 8;
                if (value + size > struct_size_) break;
                if (name >= strings_size_ ||
                    find_nul(strings_ + name, strings_ + strings_size_) == 0) {
                    break;
                }
                tree.nodes[open.back()].properties.push_back(
                    ReferenceProperty{name, static_cast<uint32_t>(value), size});
                at = padded(value + size);
            } else if (token == kNopToken) {
                at = after;
            } else {
                tree.well_formed = token == kEndToken && open.empty() && !tree.nodes.empty();
                break;
            }
            if (at > struct_size_) break;  // padding past the block's end
        }
        if (!tree.well_formed) tree.nodes.clear();
        return tree;
    }

private:
    // The length of the string at blob offset `from` with its NUL, if the NUL comes before `end`;
    // else 0.
    uint64_t find_nul(uint64_t from, uint64_t end) const {
        for (uint64_t at = from; at < end; ++at) {
            if (blob_.at(at) == 0) return at - from + 1;
        }
        return 0;
    }
    std::string text(uint64_t from, uint64_t length) const {
        return std::string(blob_.begin() + static_cast<ptrdiff_t>(from),
                           blob_.begin() + static_cast<ptrdiff_t>(from + length));
    }
    static uint64_t padded(uint64_t offset) { return (offset + 3) / 4 * 4; }

    const Bytes& blob_;
    uint64_t struct_;
    uint64_t struct_size_;
    uint64_t strings_;
    uint64_t strings_size_;
};

// Whether `text` starts inside [block, block + size) and its NUL comes before the block's end.
inline bool terminated_inside(const char* text, const uint8_t* block, uint32_t size) {
    const auto* at = reinterpret_cast<const uint8_t*>(text);
    return at >= block && at < block + size && memchr(at, 0, size - (at - block)) != nullptr;
}

// How the reader's walk of `tree` (opened on `blob`) differs from the reference reading `want` of
// a well-formed block: the first node or property out of place, a name not NUL-terminated inside
// its block, a value outside the structure block. "" when it reports exactly the same.
inline std::string difference(const DeviceTree& tree, const uint8_t* blob,
                              const ReferenceTree& want) {
    const uint8_t* structure = blob + want.struct_offset;
    const char* strings = reinterpret_cast<const char*>(blob + want.strings_offset);
    auto node = Result<Node, Error>(tree.root());
    for (const ReferenceNode& expected : want.nodes) {
        const std::string where = "node at " + std::to_string(expected.offset) + ": ";
        if (!node.ok()) return where + "the walk ended early: " + error_name(node.error());
        if (node.value().offset() != expected.offset) {
            return where + "the walk went to " + std::to_string(node.value().offset());
        }
        const char* name = tree.name(node.value());
        if (!terminated_inside(name, structure, want.struct_size)) return where + "name outside";
        if (name != reinterpret_cast<const char*>(structure) + expected.offset + 4) {
            return where + "name not where the token puts it";
        }
        const auto parent = tree.parent(node.value());
        if (expected.parent < 0
                ? parent.ok()
                : !parent.ok() || parent.value().offset() != want.nodes[expected.parent].offset) {
            return where + "wrong parent";
        }
        auto property = tree.first_property(node.value());
        for (const ReferenceProperty& p : expected.properties) {
            const std::string at = where + "property at " + std::to_string(p.value_offset) + ": ";
            if (!property.ok()) return at + "properties ended early";
            const Property& got = property.value();
            if (!terminated_inside(got.name(), reinterpret_cast<const uint8_t*>(strings),
                                   want.strings_size) ||
                got.name() != strings + p.name_offset) {
                return at + "name not at its offset in the strings block";
            }
            if (got.data() != structure + p.value_offset || got.size() != p.size) {
                return at + "value not where the token puts it";
            }
            property = tree.next_property(got);
        }
        if (property.ok()) return where + "a property the reference does not have";
        node = tree.next_node(node.value());
    }
    if (node.ok() || node.error() != Error::kNotFound) return "a node the reference does not have";
    return "";
}

}  // namespace keel::fdt::test
