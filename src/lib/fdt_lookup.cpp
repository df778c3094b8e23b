// SPDX-License-Identifier: MIT
// Device-tree lookups by meaning (Devicetree Specification v0.4, chapters 2 and 3): paths and unit
// addresses, compatible strings, phandles, status, reg in the parent's cells, /aliases, /chosen and
// /cpus. Built on the token walks in fdt.cpp. Portable: the kernel and the host tests compile it.
#include <keel/lib/fdt.h>
#include <keel/lib/memory.h>

namespace keel::fdt {
namespace {

// Whether the NUL-terminated `name` starts with text[0, length) (text need not be terminated).
// Stops at name's NUL, so it never reads past a name shorter than `length`.
bool starts_with(const char* name, const char* text, size_t length) {
    for (size_t i = 0; i < length; ++i) {
        if (name[i] == '\0' || name[i] != text[i]) return false;
    }
    return true;
}

bool name_equals(const char* name, const char* text, size_t length) {
    return starts_with(name, text, length) && name[length] == '\0';
}

// Whether the node name's part before '@' equals text[0, length): "memory" matches
// "memory@80000000" (§2.2.3).
bool base_name_equals(const char* name, const char* text, size_t length) {
    return starts_with(name, text, length) && name[length] == '@';
}

// The index of the first `c` in text[0, length), or `length`.
size_t find_char(const char* text, size_t length, char c) {
    size_t at = 0;
    while (at < length && text[at] != c) ++at;
    return at;
}

}  // namespace

Result<Property, Error> DeviceTree::property(Node node, const char* name) const {
    if (name == nullptr) return Error::kNotFound;
    return find_property(node, name, strlen(name));
}

Result<Property, Error> DeviceTree::find_property(Node node, const char* name,
                                                  size_t length) const {
    auto property = first_property(node);
    while (property.ok() && !name_equals(property.value().name(), name, length)) {
        property = next_property(property.value());
    }
    return property;
}

Result<Node, Error> DeviceTree::find_path(const char* path) const {
    if (path == nullptr) return Error::kNotFound;
    return find_path(path, strlen(path));
}

Result<Node, Error> DeviceTree::find_path(const char* path, size_t length) const {
    size_t at = 0;
    Node node = root();
    if (length == 0) return Error::kNotFound;
    if (path[0] != '/') {  // §3.3: a path may start with an alias instead of the root
        at = find_char(path, length, '/');
        const auto alias = resolve_alias(path, at);
        if (!alias.ok()) return alias;
        node = alias.value();
    }
    while (at < length) {
        if (path[at] == '/') {
            ++at;
            continue;
        }
        const size_t end = at + find_char(path + at, length - at, '/');
        const auto child = find_child(node, path + at, end - at);
        if (!child.ok()) return child;
        node = child.value();
        at = end;
    }
    return node;
}

// The child named name[0, length). An exact match wins; a name without a unit address otherwise
// matches the first child whose name before '@' is equal (§2.2.3).
Result<Node, Error> DeviceTree::find_child(Node node, const char* name, size_t length) const {
    const bool has_unit_address = find_char(name, length, '@') < length;
    Result<Node, Error> base_match = Error::kNotFound;
    auto child = first_child(node);
    for (; child.ok(); child = next_sibling(child.value())) {
        const char* child_name = this->name(child.value());
        if (name_equals(child_name, name, length)) return child;
        if (!has_unit_address && !base_match.ok() && base_name_equals(child_name, name, length)) {
            base_match = child;
        }
    }
    if (child.error() != Error::kNotFound) return child.error();
    return base_match;
}

Result<Node, Error> DeviceTree::find_compatible(const char* compatible) const {
    if (is_compatible(root(), compatible)) return root();
    return find_compatible(compatible, root());
}

Result<Node, Error> DeviceTree::find_compatible(const char* compatible, Node after) const {
    auto node = next_node(after);
    while (node.ok() && !is_compatible(node.value(), compatible)) node = next_node(node.value());
    return node;
}

Result<Node, Error> DeviceTree::find_phandle(uint32_t phandle) const {
    // dtc never assigns 0 or ~0; OpenSBI writes ~0 over the interrupts-extended entries it hides.
    if (phandle == 0 || phandle == 0xffffffff) return Error::kNotFound;
    for (Result<Node, Error> node = root(); node.ok(); node = next_node(node.value())) {
        // One pass over the node's properties for both names, not one for each (boot looks up
        // phandles through the whole tree). `phandle` decides when a node has it; only a node
        // without one is matched by `linux,phandle` (§2.3.3: older trees).
        bool has_phandle = false;
        bool legacy_match = false;
        for (auto p = first_property(node.value()); p.ok(); p = next_property(p.value())) {
            const char* name = p.value().name();
            if (strcmp(name, "phandle") == 0) {
                has_phandle = true;
                if (p.value().u32().value_or(0) == phandle) return node;
            } else if (strcmp(name, "linux,phandle") == 0) {
                legacy_match = legacy_match || p.value().u32().value_or(0) == phandle;
            }
        }
        if (!has_phandle && legacy_match) return node;
    }
    return Error::kNotFound;
}

bool DeviceTree::is_compatible(Node node, const char* compatible) const {
    const auto list = property(node, "compatible");
    return list.ok() && list.value().string_list_contains(compatible);
}

bool DeviceTree::is_enabled(Node node) const {
    const auto status = property(node, "status");
    if (!status.ok()) return status.error() == Error::kNotFound;
    const auto text = status.value().string();
    return text.ok() && (strcmp(text.value(), "okay") == 0 || strcmp(text.value(), "ok") == 0);
}

Result<uint32_t, Error> DeviceTree::cells_property(Node bus, const char* name,
                                                   uint32_t fallback) const {
    const auto cells = property(bus, name);
    if (!cells.ok()) {
        if (cells.error() == Error::kNotFound) return fallback;
        return cells.error();
    }
    return cells.value().u32();
}

Result<uint32_t, Error> DeviceTree::address_cells(Node bus) const {
    return cells_property(bus, "#address-cells", 2);
}

Result<uint32_t, Error> DeviceTree::size_cells(Node bus) const {
    return cells_property(bus, "#size-cells", 1);
}

Result<Region, Error> DeviceTree::reg(Node node, size_t index) const {
    // §2.3.5: a node's #address-cells and #size-cells describe its children's reg, so a reg is
    // read in its parent's cells; they are not inherited from further up.
    const auto bus = parent(node);
    if (!bus.ok()) return bus.error();
    const auto address_cells = this->address_cells(bus.value());
    if (!address_cells.ok()) return address_cells.error();
    const auto size_cells = this->size_cells(bus.value());
    if (!size_cells.ok()) return size_cells.error();
    const uint32_t address_count = address_cells.value();
    const uint32_t size_count = size_cells.value();
    if (address_count < 1 || address_count > 2 || size_count > 2) return Error::kBadCells;

    const auto reg = property(node, "reg");
    if (!reg.ok()) return reg.error();
    const uint32_t entry_cells = address_count + size_count;
    if (reg.value().size() % (entry_cells * 4) != 0) return Error::kBadValue;
    if (index >= reg.value().cell_count() / entry_cells) return Error::kNotFound;

    const size_t first = index * entry_cells;  // cannot overflow: index < cell_count
    const auto address = reg.value().cells(first, address_count);
    if (!address.ok()) return address.error();
    if (size_count == 0) return Region{address.value(), 0};
    const auto size = reg.value().cells(first + address_count, size_count);
    if (!size.ok()) return size.error();
    return Region{address.value(), size.value()};
}

Result<Node, Error> DeviceTree::resolve_alias(const char* alias) const {
    if (alias == nullptr) return Error::kNotFound;
    return resolve_alias(alias, strlen(alias));
}

Result<Node, Error> DeviceTree::resolve_alias(const char* alias, size_t length) const {
    const auto aliases = find_path("/aliases");
    if (!aliases.ok()) return aliases.error();
    const auto value = find_property(aliases.value(), alias, length);
    if (!value.ok()) return value.error();
    const auto path = value.value().string();
    if (!path.ok()) return path.error();
    // §3.3: an alias's value is a full path. Insisting on the leading '/' also means resolving
    // it can never come back here, so alias loops are impossible.
    if (path.value()[0] != '/') return Error::kBadValue;
    return find_path(path.value());
}

Result<StdoutPath, Error> DeviceTree::stdout_path() const {
    const auto chosen = find_path("/chosen");
    if (!chosen.ok()) return chosen.error();
    const auto value = property(chosen.value(), "stdout-path");
    if (!value.ok()) return value.error();
    const auto text = value.value().string();
    if (!text.ok()) return text.error();
    // §3.6: "a path ... optionally followed by ':' and options"; node names never contain ':'.
    const size_t length = strlen(text.value());
    const size_t colon = find_char(text.value(), length, ':');
    const auto node = find_path(text.value(), colon);
    if (!node.ok()) return node.error();
    return StdoutPath{node.value(), colon < length ? text.value() + colon + 1 : ""};
}

Result<const char*, Error> DeviceTree::bootargs() const {
    // §3.6: bootargs is optional, and so is /chosen: either absent means no arguments.
    const auto chosen = find_path("/chosen");
    if (!chosen.ok() && chosen.error() == Error::kNotFound) return "";
    if (!chosen.ok()) return chosen.error();
    const auto value = property(chosen.value(), "bootargs");
    if (!value.ok() && value.error() == Error::kNotFound) return "";
    if (!value.ok()) return value.error();
    if (value.value().size() == 0) return "";  // an empty value: no arguments either
    return value.value().string();
}

Result<uint64_t, Error> DeviceTree::timebase_frequency() const {
    // §3.7: timebase-frequency sits in /cpus when every CPU shares it, else in each cpu node.
    const auto cpus = find_path("/cpus");
    if (!cpus.ok()) return cpus.error();
    auto value = property(cpus.value(), "timebase-frequency");
    for (auto cpu = first_child(cpus.value()); !value.ok() && cpu.ok();
         cpu = next_sibling(cpu.value())) {
        value = property(cpu.value(), "timebase-frequency");
    }
    if (!value.ok()) return value.error();
    return value.value().number();
}

}  // namespace keel::fdt
