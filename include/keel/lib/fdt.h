// SPDX-License-Identifier: MIT
// Flattened device tree (FDT, "DTB") reader: the blob firmware passes in a1, searched in place for
// nodes, properties, reg ranges, aliases and the console path. Devicetree Specification v0.4,
// chapter 5 (the format) and chapters 2-3 (what nodes and properties mean).
//
// Safety: open() checks the header (§5.2) and walks the whole structure block once (§5.4), so a
// blob that opens is well formed; every later read is still bounds-checked against its block, so no
// call ever reads outside [blob, blob + totalsize), whatever the bytes say. Bad input gives a typed
// Error, never undefined behaviour. Values are big-endian and read a byte at a time, so the blob
// may sit at any address. Nothing allocates; every lookup walks the blob (fine at boot, where the
// results go into BootInfo once).
//
// The kernel does not know the blob's size until it has read the header: it passes a generous cap
// (kFirmwareBlobLimit) as `limit`, and from then on the header's totalsize bounds every read.
#pragma once
#include <keel/lib/result.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::fdt {

enum class Error : uint8_t {
    kBadMagic = 1,  // header magic is not 0xd00dfeed (§5.2)
    kBadVersion,    // version < 16 or last_comp_version > 17: a layout this reader does not know
    kTruncated,     // no blob, or the caller's limit does not cover the header or totalsize
    kBadHeader,     // a block lies outside totalsize, overflows, is misaligned or unterminated
    kBadStructure,  // structure block: unknown token, unbalanced nodes, no FDT_END, runs past end
    kBadString,     // a node or property name not NUL-terminated inside its block
    kTooDeep,       // nodes nested more than kMaxDepth levels
    kNotFound,      // no such node, property, alias or entry
    kBadValue,      // a property too short, or not in the form asked for
    kBadCells,      // #address-cells / #size-cells this reader cannot decode
};

// A short human text for an error ("bad magic", "not found").
const char* error_name(Error error);

// What the kernel passes as open()'s limit for a blob of unknown size. QEMU virt's blob is ~5 KiB
// (its buffer is 1 MiB); a larger totalsize is refused rather than trusted.
inline constexpr size_t kFirmwareBlobLimit = 1024 * 1024;

// Deepest node nesting accepted, the root counting as one level (QEMU virt nests 5).
inline constexpr uint32_t kMaxDepth = 32;

// A physical range: one reg entry (§2.3.6) or one memory reservation (§5.3).
struct Region {
    uint64_t address = 0;
    uint64_t size = 0;
};

// A node handle: the offset of the node's FDT_BEGIN_NODE token in the structure block (§5.4.1).
// Only a DeviceTree makes them; use one only with the tree that returned it.
class Node {
public:
    constexpr Node() = default;
    constexpr uint32_t offset() const { return offset_; }
    friend constexpr bool operator==(Node, Node) = default;

private:
    friend class DeviceTree;
    constexpr explicit Node(uint32_t offset) : offset_(offset) {}
    uint32_t offset_ = 0;
};

// A property's name and value as the blob holds them (§2.2.4). The value is a byte string of known
// length; every accessor checks it, so asking for more than is there is kBadValue, not a read past
// the end. Cells are big-endian 32-bit words (§2.2.4.2).
class Property {
public:
    class Strings;

    constexpr Property() = default;
    Property(const char* name, const void* data, uint32_t size)
        : name_(name), data_(static_cast<const uint8_t*>(data)), size_(size) {}

    const char* name() const { return name_; }
    const uint8_t* data() const { return data_; }
    uint32_t size() const { return size_; }
    uint32_t cell_count() const { return size_ / 4; }

    Result<uint32_t, Error> u32(size_t index = 0) const;  // the index-th cell
    Result<uint64_t, Error> u64(size_t index = 0) const;  // the index-th 8-byte value
    Result<uint64_t, Error> number() const;               // a <u32> or <u64>: 4 or 8 bytes
    // `count` (1 or 2) cells from cell `first`, high cell first: an address or size (§2.3.5).
    Result<uint64_t, Error> cells(size_t first, uint32_t count) const;

    // The value as a <string>: its first NUL-terminated string; kBadValue when no NUL is inside.
    Result<const char*, Error> string() const;
    // A <stringlist> (§2.2.4.2): every string in order; an unterminated tail is left out.
    Strings strings() const;
    bool string_list_contains(const char* text) const;

private:
    friend class DeviceTree;
    const char* name_ = "";
    const uint8_t* data_ = nullptr;
    uint32_t size_ = 0;
    uint32_t next_ = 0;  // structure-block offset of the token after this property
};

// Range over a string list: for (const char* s : property.strings()).
class Property::Strings {
public:
    struct End {};
    class Iterator {
    public:
        Iterator(const char* at, const char* end) : at_(at), end_(end) {}
        const char* operator*() const { return at_; }
        Iterator& operator++();
        bool operator!=(End) const { return at_ != end_; }

    private:
        const char* at_;  // a string NUL-terminated before end_, or end_
        const char* end_;
    };

    Strings(const char* begin, const char* end) : begin_(begin), end_(end) {}
    Iterator begin() const;
    End end() const { return {}; }

private:
    const char* begin_;
    const char* end_;
};

// /chosen/stdout-path split into the console's node and the text after ':' (§3.6), e.g.
// "serial0:115200n8" gives the node serial0 names and options "115200n8" ("" without a ':').
struct StdoutPath {
    Node node;
    const char* options = "";
};

class DeviceTree {
public:
    class Children;

    constexpr DeviceTree() = default;  // an empty tree: every lookup fails
    static Result<DeviceTree, Error> open(const void* blob, size_t limit);

    uint32_t total_size() const { return total_size_; }
    uint32_t version() const { return version_; }
    uint32_t boot_cpu() const { return boot_cpu_; }  // boot_cpuid_phys (§5.2)
    // The index-th entry of the memory reservation block (§5.3); kNotFound past the last.
    Result<Region, Error> memory_reservation(size_t index) const;

    // Nodes. Walks that reach no further node end with kNotFound.
    Node root() const { return Node(root_); }
    const char* name(Node node) const;  // "node-name@unit-address"; "" for the root or a bad handle
    Result<Node, Error> parent(Node node) const;
    Result<Node, Error> first_child(Node node) const;
    Result<Node, Error> next_sibling(Node node) const;
    Children children(Node node) const;
    Result<Node, Error> next_node(Node node) const;  // every node, depth first, from root()
    // "/cpus/cpu@0", or "/memory" for the first child named memory@... (§2.2.3); a path that does
    // not start with '/' starts with an alias ("serial0", §3.3).
    Result<Node, Error> find_path(const char* path) const;
    Result<Node, Error> find_compatible(const char* compatible) const;  // root included
    Result<Node, Error> find_compatible(const char* compatible, Node after) const;
    // The node whose phandle (or, in older trees, linux,phandle) is `phandle` (§2.3.3).
    Result<Node, Error> find_phandle(uint32_t phandle) const;
    bool is_compatible(Node node, const char* compatible) const;  // §2.3.1
    // status absent or "okay" (§2.3.4), or "ok", which older trees use.
    bool is_enabled(Node node) const;

    // Properties.
    Result<Property, Error> property(Node node, const char* name) const;
    Result<Property, Error> first_property(Node node) const;
    Result<Property, Error> next_property(const Property& property) const;
    // A bus's #address-cells and #size-cells, defaulting to 2 and 1 (§2.3.5).
    Result<uint32_t, Error> address_cells(Node bus) const;
    Result<uint32_t, Error> size_cells(Node bus) const;
    // The index-th (address, size) pair of reg (§2.3.6), in cells the parent's properties give;
    // 1-2 address cells and 0-2 size cells (0: size reads as 0, as under /cpus).
    Result<Region, Error> reg(Node node, size_t index) const;

    // /aliases, /chosen and /cpus (§3.3, §3.6, §3.7, §3.8).
    Result<Node, Error> resolve_alias(const char* alias) const;
    Result<StdoutPath, Error> stdout_path() const;
    Result<const char*, Error> bootargs() const;  // "" when /chosen or bootargs is absent
    // /cpus/timebase-frequency, else the first child of /cpus that has one; a <u32> or <u64>.
    Result<uint64_t, Error> timebase_frequency() const;

private:
    struct Token;

    // fdt.cpp: the blob format.
    Result<Token, Error> read_token(uint32_t offset) const;
    Result<uint32_t, Error> check_structure() const;
    Result<uint32_t, Error> skip_node(uint32_t offset) const;
    Result<Property, Error> property_at(uint32_t offset) const;
    // fdt_lookup.cpp: names with an explicit length, for pieces of paths.
    Result<Property, Error> find_property(Node node, const char* name, size_t length) const;
    Result<Node, Error> find_child(Node node, const char* name, size_t length) const;
    Result<Node, Error> find_path(const char* path, size_t length) const;
    Result<Node, Error> resolve_alias(const char* alias, size_t length) const;
    Result<uint32_t, Error> cells_property(Node bus, const char* name, uint32_t fallback) const;

    const uint8_t* blob_ = nullptr;
    const uint8_t* struct_ = nullptr;  // structure block
    const char* strings_ = nullptr;    // strings block
    uint32_t struct_size_ = 0;
    uint32_t strings_size_ = 0;
    uint32_t total_size_ = 0;
    uint32_t reservations_ = 0;  // offset of the memory reservation block
    uint32_t version_ = 0;
    uint32_t boot_cpu_ = 0;
    uint32_t root_ = 0;                // structure-block offset of the root's FDT_BEGIN_NODE
    bool strings_terminated_ = false;  // the strings block's last byte is NUL
};

// Range over a node's children: for (fdt::Node cpu : tree.children(cpus)). It stops after the
// last child, or at a structural error (which open() has already ruled out).
class DeviceTree::Children {
public:
    struct End {};
    class Iterator {
    public:
        Iterator(const DeviceTree& tree, Result<Node, Error> at) : tree_(&tree), at_(at) {}
        Node operator*() const { return at_.value(); }
        Iterator& operator++() {
            at_ = tree_->next_sibling(at_.value());
            return *this;
        }
        bool operator!=(End) const { return at_.ok(); }

    private:
        const DeviceTree* tree_;
        Result<Node, Error> at_;
    };

    Children(const DeviceTree& tree, Node parent) : tree_(&tree), parent_(parent) {}
    Iterator begin() const { return Iterator(*tree_, tree_->first_child(parent_)); }
    End end() const { return {}; }

private:
    const DeviceTree* tree_;
    Node parent_;
};

inline DeviceTree::Children DeviceTree::children(Node node) const {
    return Children(*this, node);
}

}  // namespace keel::fdt
