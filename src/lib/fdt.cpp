// SPDX-License-Identifier: MIT
// The device-tree blob format (Devicetree Specification v0.4, chapter 5): header checks, the
// structure-block tokens and the walks over them. What nodes and properties mean (paths, reg,
// aliases, /chosen) is in fdt_lookup.cpp, property values in fdt_property.cpp. Portable.
#include <keel/lib/big_endian.h>
#include <keel/lib/fdt.h>

namespace keel::fdt {
namespace {

// The header (§5.2), big-endian, at the blob's first byte. Never overlaid on the blob (it may be
// unaligned); it gives each field's offset to the byte loads.
struct Header {
    uint32_t magic;              // kMagic
    uint32_t totalsize;          // the whole blob, every block and gap included
    uint32_t off_dt_struct;      // structure block (§5.4)
    uint32_t off_dt_strings;     // strings block (§5.5)
    uint32_t off_mem_rsvmap;     // memory reservation block (§5.3)
    uint32_t version;            // 17 today
    uint32_t last_comp_version;  // oldest version this blob is compatible with: 16
    uint32_t boot_cpuid_phys;    // the boot CPU's reg value
    uint32_t size_dt_strings;    // strings block size
    uint32_t size_dt_struct;     // structure block size, from version 17 on
};
static_assert(sizeof(Header) == 40 && offsetof(Header, size_dt_struct) == 36);

constexpr uint32_t kMagic = 0xd00dfeed;
constexpr uint32_t kFirstVersion = 16;       // oldest layout this reader accepts
constexpr uint32_t kLastVersion = 17;        // newest layout this reader knows
constexpr uint32_t kStructSizeVersion = 17;  // the first with size_dt_struct in the header
constexpr uint32_t kHeaderSizeV16 = offsetof(Header, size_dt_struct);

// Structure-block tokens (§5.4.1), each a big-endian u32 on a 4-byte boundary.
enum class TokenKind : uint32_t {
    kBeginNode = 0x1,  // FDT_BEGIN_NODE: then the node's name, NUL-terminated, padded to 4
    kEndNode = 0x2,    // FDT_END_NODE
    kProp = 0x3,       // FDT_PROP: then u32 len, u32 nameoff, then len bytes padded to 4
    kNop = 0x4,        // FDT_NOP: ignored
    kEnd = 0x9,        // FDT_END: the last token of the block
};

// Each memory reservation entry is two big-endian u64s, address then size (§5.3).
constexpr uint32_t kReservationEntrySize = 16;

// Whether [offset, offset + size) lies after the header and inside totalsize, without overflow.
constexpr bool block_fits(uint32_t offset, uint32_t size, uint32_t header_size, uint32_t total) {
    return offset >= header_size && offset <= total && size <= total - offset;
}

// Where the next token starts after one ending at `end`: tokens are 4-byte aligned (§5.4.1).
constexpr uint64_t token_padded(uint64_t end) {
    return (end + 3) & ~uint64_t{3};
}

// The offset of the first NUL in text[from, end), or `end` when there is none.
uint32_t find_nul(const char* text, uint32_t from, uint32_t end) {
    while (from < end && text[from] != '\0') ++from;
    return from;
}

}  // namespace

// One decoded token. `next` is where the following token starts, always beyond `offset`.
struct DeviceTree::Token {
    TokenKind kind;
    uint32_t offset;
    uint32_t next;
    const char* name;      // kBeginNode: the node's name; kProp: the property's name
    uint32_t data_offset;  // kProp: where the value starts in the structure block
    uint32_t size;         // kProp: the value's length
};

const char* error_name(Error error) {
    switch (error) {
    case Error::kBadMagic: return "bad magic";
    case Error::kBadVersion: return "unsupported version";
    case Error::kTruncated: return "truncated";
    case Error::kBadHeader: return "bad block layout";
    case Error::kBadStructure: return "bad structure block";
    case Error::kBadString: return "unterminated name";
    case Error::kTooDeep: return "nodes nested too deep";
    case Error::kNotFound: return "not found";
    case Error::kBadValue: return "malformed property";
    case Error::kBadCells: return "unsupported #address-cells or #size-cells";
    }
    return "unknown error";
}

Result<DeviceTree, Error> DeviceTree::open(const void* blob, size_t limit) {
    const auto* bytes = static_cast<const uint8_t*>(blob);
    if (bytes == nullptr || limit < sizeof(Header)) return Error::kTruncated;
    const auto field = [bytes](size_t offset) { return load_be32(bytes + offset); };
    if (field(offsetof(Header, magic)) != kMagic) return Error::kBadMagic;

    DeviceTree tree;
    tree.version_ = field(offsetof(Header, version));
    const uint32_t compatible_version = field(offsetof(Header, last_comp_version));
    if (tree.version_ < kFirstVersion || compatible_version > kLastVersion) {
        return Error::kBadVersion;
    }
    const bool has_struct_size = tree.version_ >= kStructSizeVersion;
    const uint32_t header_size = has_struct_size ? sizeof(Header) : kHeaderSizeV16;
    const uint32_t total = field(offsetof(Header, totalsize));
    if (total > limit) return Error::kTruncated;
    if (total < header_size) return Error::kBadHeader;

    const uint32_t struct_offset = field(offsetof(Header, off_dt_struct));
    const uint32_t strings_offset = field(offsetof(Header, off_dt_strings));
    const uint32_t strings_size = field(offsetof(Header, size_dt_strings));
    const uint32_t reservations = field(offsetof(Header, off_mem_rsvmap));
    // Version 16 has no size_dt_struct: the structure block may run to the end of the blob.
    uint32_t struct_size = struct_offset <= total ? total - struct_offset : 0;
    if (has_struct_size) struct_size = field(offsetof(Header, size_dt_struct));
    // §5.4: the structure block is 4-byte aligned; §5.3: the reservation block 8-byte aligned.
    if (!block_fits(struct_offset, struct_size, header_size, total) || struct_offset % 4 != 0 ||
        !block_fits(strings_offset, strings_size, header_size, total) ||
        !block_fits(reservations, 0, header_size, total) || reservations % 8 != 0) {
        return Error::kBadHeader;
    }

    tree.blob_ = bytes;
    tree.struct_ = bytes + struct_offset;
    tree.struct_size_ = struct_size;
    tree.strings_ = reinterpret_cast<const char*>(bytes + strings_offset);
    tree.strings_size_ = strings_size;
    tree.strings_terminated_ = strings_size > 0 && tree.strings_[strings_size - 1] == '\0';
    tree.total_size_ = total;
    tree.reservations_ = reservations;
    tree.boot_cpu_ = field(offsetof(Header, boot_cpuid_phys));

    // The reservation list ends with an all-zero entry, which must lie inside the blob.
    for (uint32_t at = reservations;; at += kReservationEntrySize) {
        if (total - at < kReservationEntrySize) return Error::kBadHeader;
        if (load_be64(bytes + at) == 0 && load_be64(bytes + at + 8) == 0) break;
    }

    const auto root = tree.check_structure();
    if (!root.ok()) return root.error();
    tree.root_ = root.value();
    return tree;
}

Result<Region, Error> DeviceTree::memory_reservation(size_t index) const {
    // open() found the terminating entry inside the blob, so this walk stops at it.
    for (uint32_t at = reservations_; total_size_ - at >= kReservationEntrySize;
         at += kReservationEntrySize) {
        const Region entry{load_be64(blob_ + at), load_be64(blob_ + at + 8)};
        if (entry.address == 0 && entry.size == 0) break;
        if (index-- == 0) return entry;
    }
    return Error::kNotFound;
}

// Decodes the token at `offset`, checking that it, its name and its value lie inside their blocks.
Result<DeviceTree::Token, Error> DeviceTree::read_token(uint32_t offset) const {
    if (offset % 4 != 0 || offset >= struct_size_ || struct_size_ - offset < 4) {
        return Error::kBadStructure;
    }
    Token token{static_cast<TokenKind>(load_be32(struct_ + offset)), offset, offset + 4, "", 0, 0};
    switch (token.kind) {
    case TokenKind::kBeginNode: {
        const char* text = reinterpret_cast<const char*>(struct_);
        const uint32_t nul = find_nul(text, offset + 4, struct_size_);
        if (nul == struct_size_) return Error::kBadString;
        const uint64_t next = token_padded(uint64_t{nul} + 1);
        if (next > struct_size_) return Error::kBadStructure;
        token.name = text + offset + 4;
        token.next = static_cast<uint32_t>(next);
        return token;
    }
    case TokenKind::kProp: {
        if (struct_size_ - offset < 12) return Error::kBadStructure;
        token.size = load_be32(struct_ + offset + 4);
        const uint32_t name_offset = load_be32(struct_ + offset + 8);
        token.data_offset = offset + 12;
        if (token.size > struct_size_ - token.data_offset) return Error::kBadStructure;
        const uint64_t next = token_padded(uint64_t{token.data_offset} + token.size);
        if (next > struct_size_) return Error::kBadStructure;
        // §5.5: the name is a NUL-terminated string at nameoff in the strings block.
        // A strings block that ends in NUL (open() notes it) has one after every offset in it:
        // only a block that does not needs the name scanned, on every read.
        if (name_offset >= strings_size_ ||
            (!strings_terminated_ &&
             find_nul(strings_, name_offset, strings_size_) == strings_size_)) {
            return Error::kBadString;
        }
        token.name = strings_ + name_offset;
        token.next = static_cast<uint32_t>(next);
        return token;
    }
    case TokenKind::kEndNode:
    case TokenKind::kNop:
    case TokenKind::kEnd: return token;
    }
    return Error::kBadStructure;
}

// Walks the whole structure block once (§5.4.2): one root node, balanced nodes no deeper than
// kMaxDepth, each node's properties before its children, and FDT_END last. Returns the root.
Result<uint32_t, Error> DeviceTree::check_structure() const {
    uint32_t depth = 0;
    bool seen_root = false;
    bool after_child = false;  // the current node has had a child: no more properties
    uint32_t root = 0;
    for (uint32_t offset = 0;;) {
        const auto token = read_token(offset);
        if (!token.ok()) return token.error();
        switch (token.value().kind) {
        case TokenKind::kBeginNode:
            if (depth == 0 && seen_root) return Error::kBadStructure;
            if (depth == kMaxDepth) return Error::kTooDeep;
            if (depth++ == 0) {
                root = offset;
                seen_root = true;
            }
            after_child = false;
            break;
        case TokenKind::kEndNode:
            if (depth == 0) return Error::kBadStructure;
            --depth;
            after_child = true;
            break;
        case TokenKind::kProp:
            if (depth == 0 || after_child) return Error::kBadStructure;
            break;
        case TokenKind::kNop: break;
        case TokenKind::kEnd:
            if (depth != 0 || !seen_root) return Error::kBadStructure;
            return root;
        }
        offset = token.value().next;  // always advances: every token is at least 4 bytes
    }
}

// The offset just past the FDT_END_NODE that closes the node starting at `offset`.
Result<uint32_t, Error> DeviceTree::skip_node(uint32_t offset) const {
    uint32_t depth = 0;
    do {
        const auto token = read_token(offset);
        if (!token.ok()) return token.error();
        switch (token.value().kind) {
        case TokenKind::kBeginNode:
            if (++depth > kMaxDepth) return Error::kTooDeep;
            break;
        case TokenKind::kEndNode:
            if (depth-- == 0) return Error::kBadStructure;
            break;
        case TokenKind::kProp:
        case TokenKind::kNop:
            if (depth == 0) return Error::kBadStructure;  // `offset` was not a node
            break;
        case TokenKind::kEnd: return Error::kBadStructure;
        }
        offset = token.value().next;
    } while (depth > 0);
    return offset;
}

const char* DeviceTree::name(Node node) const {
    const auto token = read_token(node.offset_);
    if (!token.ok() || token.value().kind != TokenKind::kBeginNode) return "";
    return token.value().name;
}

Result<Node, Error> DeviceTree::parent(Node node) const {
    uint32_t ancestors[kMaxDepth];  // the open nodes around `offset`, outermost first
    uint32_t depth = 0;
    for (uint32_t offset = root_;;) {
        const auto token = read_token(offset);
        if (!token.ok()) return token.error();
        switch (token.value().kind) {
        case TokenKind::kBeginNode:
            if (offset == node.offset_) {
                return depth == 0 ? Result<Node, Error>(Error::kNotFound)
                                  : Node(ancestors[depth - 1]);
            }
            if (depth == kMaxDepth) return Error::kTooDeep;
            ancestors[depth++] = offset;
            break;
        case TokenKind::kEndNode:
            if (depth <= 1) return Error::kNotFound;  // the root closed without meeting `node`
            --depth;
            break;
        case TokenKind::kProp:
        case TokenKind::kNop: break;
        case TokenKind::kEnd: return Error::kNotFound;
        }
        offset = token.value().next;
    }
}

Result<Node, Error> DeviceTree::first_child(Node node) const {
    auto token = read_token(node.offset_);
    if (token.ok() && token.value().kind != TokenKind::kBeginNode) return Error::kBadStructure;
    while (token.ok()) {
        token = read_token(token.value().next);
        if (!token.ok()) break;
        switch (token.value().kind) {
        case TokenKind::kBeginNode: return Node(token.value().offset);
        case TokenKind::kEndNode: return Error::kNotFound;
        case TokenKind::kEnd: return Error::kBadStructure;
        case TokenKind::kProp:
        case TokenKind::kNop: break;
        }
    }
    return token.error();
}

Result<Node, Error> DeviceTree::next_sibling(Node node) const {
    const auto end = skip_node(node.offset_);
    if (!end.ok()) return end.error();
    for (uint32_t offset = end.value();;) {
        const auto token = read_token(offset);
        if (!token.ok()) return token.error();
        switch (token.value().kind) {
        case TokenKind::kBeginNode: return Node(offset);
        case TokenKind::kEndNode:
        case TokenKind::kEnd: return Error::kNotFound;  // the parent closed, or the root did
        case TokenKind::kProp: return Error::kBadStructure;
        case TokenKind::kNop: break;
        }
        offset = token.value().next;
    }
}

Result<Node, Error> DeviceTree::next_node(Node node) const {
    auto token = read_token(node.offset_);
    while (token.ok()) {
        token = read_token(token.value().next);
        if (!token.ok()) break;
        if (token.value().kind == TokenKind::kBeginNode) return Node(token.value().offset);
        if (token.value().kind == TokenKind::kEnd) return Error::kNotFound;
    }
    return token.error();
}

// The property whose token is at `offset` or after it (skipping FDT_NOP), if the node's property
// list has not ended there.
Result<Property, Error> DeviceTree::property_at(uint32_t offset) const {
    for (;;) {
        const auto token = read_token(offset);
        if (!token.ok()) return token.error();
        const Token& t = token.value();
        if (t.kind == TokenKind::kProp) {
            Property property(t.name, struct_ + t.data_offset, t.size);
            property.next_ = t.next;
            return property;
        }
        if (t.kind != TokenKind::kNop) return Error::kNotFound;
        offset = t.next;
    }
}

Result<Property, Error> DeviceTree::first_property(Node node) const {
    const auto token = read_token(node.offset_);
    if (!token.ok()) return token.error();
    if (token.value().kind != TokenKind::kBeginNode) return Error::kBadStructure;
    return property_at(token.value().next);
}

Result<Property, Error> DeviceTree::next_property(const Property& property) const {
    if (property.next_ == 0) return Error::kNotFound;  // not a property of this tree
    return property_at(property.next_);
}

}  // namespace keel::fdt
