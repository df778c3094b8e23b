// SPDX-License-Identifier: MIT
// Fuzzes the device-tree reader and read_boot_info() with any blob, an exact-size heap copy opened
// with `limit` = its size, so that nothing may read outside it. Then:
//  - open() fails only with an error it documents, and, once the header passed, refuses exactly
//    the structure blocks the reference reading (tests/host/fdt_reference.h) finds malformed and
//    otherwise reports the same nodes and properties at the same places;
//  - every walk ends, and every name, value and string any lookup returns lies inside the blob;
//  - BootInfo agrees with open(), and its strings are its defaults or lie inside the blob.
#include <keel/kernel/boot_info.h>
#include <keel/lib/fdt.h>

#include <string>

#include "fdt_reference.h"
#include "fuzz_support.h"

using namespace keel;
using fdt::DeviceTree;
using fdt::Error;
using fdt::Node;
using fdt::Property;

namespace {

constexpr size_t kMaxSteps = 10000;  // more nodes or properties than a fuzz input can hold

// The boot hart: the header's boot_cpuid_phys (§5.2) as the input has it, so that the fuzzer
// varies it along with the tree.
uint64_t boot_hart_of(const fuzz::ExactCopy& blob) {
    if (blob.size() < fdt::test::kBootCpuField + 4) return 0;
    return fdt::test::get_be32(
        fdt::test::Bytes(blob.bytes(), blob.bytes() + fdt::test::kBootCpuField + 4),
        fdt::test::kBootCpuField);
}

// The one call of read_boot_info, with `limit` = the blob's size: it must read nothing past it.
BootInfo read_boot_info_from(const fuzz::ExactCopy& blob, uint64_t boot_hart) {
    return read_boot_info(blob.bytes(), reinterpret_cast<uintptr_t>(blob.bytes()), boot_hart,
                          blob.size());
}

class BlobChecks {
public:
    explicit BlobChecks(const fuzz::ExactCopy& blob) : blob_(blob) {}

    // A C string that lies, its NUL included, inside the blob.
    bool string_inside(const char* text) const {
        if (!fuzz::inside(text, 1, blob_.chars(), blob_.size())) return false;
        return memchr(text, 0, blob_.size() - static_cast<size_t>(text - blob_.chars())) != nullptr;
    }
    void string(const char* text, const char* what) const {
        fuzz::check(string_inside(text), what);
    }

    void property(const Property& property) const {
        string(property.name(), "a property name outside the blob");
        fuzz::check(property.size() == 0 ||
                        fuzz::inside(property.data(), property.size(), blob_.chars(), blob_.size()),
                    "a property value outside the blob");
        (void)property.u32(0);
        (void)property.u32(property.cell_count());
        (void)property.u64(0);
        (void)property.number();
        (void)property.cells(0, 2);
        if (const auto text = property.string(); text.ok())
            string(text.value(), "a string outside");
        size_t count = 0;
        for (const char* entry : property.strings()) {
            string(entry, "a string-list entry outside the blob");
            fuzz::check(++count < kMaxSteps, "a string list that does not end");
        }
    }

    void node(const DeviceTree& tree, Node node) const {
        const char* name = tree.name(node);
        fuzz::check(name[0] == '\0' || string_inside(name), "a node name outside the blob");
        size_t count = 0;
        for (Node child : tree.children(node)) {
            fuzz::check(tree.parent(child).value_or(Node()) == node, "a child with another parent");
            fuzz::check(++count < kMaxSteps, "a child walk that does not end");
        }
        count = 0;
        for (auto p = tree.first_property(node); p.ok(); p = tree.next_property(p.value())) {
            property(p.value());
            fuzz::check(++count < kMaxSteps, "a property walk that does not end");
        }
        for (size_t i = 0; i < 3; ++i) (void)tree.reg(node, i);
        (void)tree.is_enabled(node);
        (void)tree.address_cells(node);
    }

    void lookups(const DeviceTree& tree) const {
        size_t steps = 0;
        for (auto n = Result<Node, Error>(tree.root()); n.ok(); n = tree.next_node(n.value())) {
            node(tree, n.value());
            fuzz::check(++steps < kMaxSteps, "a node walk that does not end");
        }
        for (const char* path :
             {"/", "/cpus", "/cpus/cpu@0", "/memory", "/soc/serial", "serial0"}) {
            if (const auto found = tree.find_path(path); found.ok()) node(tree, found.value());
        }
        steps = 0;
        for (auto uart = tree.find_compatible("ns16550a"); uart.ok();
             uart = tree.find_compatible("ns16550a", uart.value())) {
            fuzz::check(++steps < kMaxSteps, "a compatible search that does not end");
        }
        for (uint32_t phandle = 0; phandle < 4; ++phandle) (void)tree.find_phandle(phandle);
        if (const auto console = tree.stdout_path(); console.ok()) {
            const char* options = console.value().options;
            fuzz::check(options[0] == '\0' || string_inside(options),
                        "stdout-path options outside");
        }
        if (const auto bootargs = tree.bootargs(); bootargs.ok()) {
            fuzz::check(bootargs.value()[0] == '\0' || string_inside(bootargs.value()),
                        "bootargs outside the blob");
        }
        (void)tree.timebase_frequency();
        for (size_t i = 0; i < 4; ++i) (void)tree.memory_reservation(i);
    }

private:
    const fuzz::ExactCopy& blob_;
};

bool is_header_error(Error error) {
    return error == Error::kBadMagic || error == Error::kBadVersion || error == Error::kTruncated ||
           error == Error::kBadHeader;
}

// The reference reading needs a version 17 header: version 16 has no structure-block size.
void compare_with_reference(const fuzz::ExactCopy& blob, const Result<DeviceTree, Error>& tree) {
    if (!tree.ok() && is_header_error(tree.error())) return;
    const fdt::test::Bytes bytes(blob.bytes(), blob.bytes() + blob.size());
    if (fdt::test::get_be32(bytes, fdt::test::kVersionField) < 17) return;
    const fdt::test::ReferenceTree want = fdt::test::ReferenceReader(bytes).read();
    fuzz::check(tree.ok() == want.well_formed,
                tree.ok() ? "open() accepted a structure block the reference finds malformed"
                          : "open() refused a structure block the reference finds well formed");
    if (!tree.ok()) return;
    const std::string difference = fdt::test::difference(tree.value(), blob.bytes(), want);
    if (!difference.empty()) fprintf(stderr, "keel fuzz: %s\n", difference.c_str());
    fuzz::check(difference.empty(), "the walk differs from the reference reading");
}

bool known_compatible(const char* compatible) {
    for (const UartCompatible& uart : kUartCompatibles) {
        if (compatible == uart.compatible) return true;
    }
    return false;
}

void check_harts(const BootInfo& info, uint64_t boot_hart) {
    fuzz::check(info.hart_count <= memlayout::kMaxHarts, "more harts than keel has places");
    fuzz::check(info.usable_harts <= info.hart_count, "more usable harts than harts");
    for (unsigned i = 0; i < info.hart_count; ++i) {
        fuzz::check(info.hart(info.harts[i].id) == &info.harts[i], "two harts with one id");
    }
    for (unsigned i = 0; i < info.skipped_count && i < kMaxSkippedHarts; ++i) {
        fuzz::check(info.skipped_ids[i] != boot_hart, "the boot hart was left without a place");
        fuzz::check(info.hart(info.skipped_ids[i]) == nullptr, "a hart both kept and skipped");
    }
}

void check_console(const BootInfo& info) {
    const ConsoleInfo& console = info.console;
    if (console.driver == UartDriver::kSbi) {
        fuzz::check(strcmp(console.compatible, "sbi") == 0, "the SBI console names a UART");
    } else {
        fuzz::check(known_compatible(console.compatible), "a console UART keel has no driver for");
        fuzz::check(console.base != 0 && console.base - info.memory.address >= info.memory.size,
                    "a console UART at address 0 or in RAM");
        fuzz::check(
            console.reg_shift <= 3 && (console.reg_io_width == 1 || console.reg_io_width == 4),
            "a console UART with a register layout keel refuses");
    }
    fuzz::check(
        info.refused_console.reason == nullptr || known_compatible(info.refused_console.compatible),
        "a refused UART keel has no driver for");
}

void check_boot_info(const fuzz::ExactCopy& blob, const Result<DeviceTree, Error>& tree) {
    const BlobChecks checks(blob);
    const uint64_t boot_hart = boot_hart_of(blob);
    const BootInfo info = read_boot_info_from(blob, boot_hart);
    fuzz::check(info.tree_ok == tree.ok(), "BootInfo and open() disagree on the tree");
    if (!tree.ok()) {
        fuzz::check(info.tree_error == tree.error(), "BootInfo names another error than open()");
        return;
    }
    fuzz::check(info.tree_size == tree.value().total_size(), "BootInfo has another tree size");
    fuzz::check(strcmp(info.model, "unknown") == 0 || checks.string_inside(info.model),
                "the model is neither the default nor inside the blob");
    fuzz::check(info.bootargs[0] == '\0' || checks.string_inside(info.bootargs),
                "bootargs are neither empty nor inside the blob");
    fuzz::check(info.timebase_assumed || info.timebase_hz >= 1000,
                "a timebase under 1 kHz believed");
    fuzz::check(info.plic_sources <= kMaxPlicSources, "more PLIC sources than a PLIC can have");
    check_harts(info, boot_hart);
    check_console(info);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy blob(data, size);
    const auto tree = DeviceTree::open(blob.bytes(), blob.size());
    if (!tree.ok()) {
        fuzz::check(tree.error() >= Error::kBadMagic && tree.error() <= Error::kTooDeep,
                    "open() failed with an error it does not document for open()");
    }
    compare_with_reference(blob, tree);
    if (tree.ok()) BlobChecks(blob).lookups(tree.value());
    check_boot_info(blob, tree);
    return 0;
}
