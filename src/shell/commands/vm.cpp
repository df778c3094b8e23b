// SPDX-License-Identifier: MIT
// vm ADDR: walks the kernel's page table for ADDR and prints each level's entry, the leaf's flags
// in words, its page size and the physical address; an unmapped address says where the walk
// stopped.
#include <keel/core/console.h>
#include <keel/kernel/vm.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

constexpr struct {
    uint64_t bit;
    char letter;
} kFlags[] = {{mm::kPteRead, 'R'}, {mm::kPteWrite, 'W'},  {mm::kPteExecute, 'X'},
              {mm::kPteUser, 'U'}, {mm::kPteGlobal, 'G'}, {mm::kPteAccessed, 'A'},
              {mm::kPteDirty, 'D'}};

void print_flags(uint64_t entry) {
    bool first = true;
    for (const auto& flag : kFlags) {
        if ((entry & flag.bit) == 0) continue;
        console::print("{}{}", first ? "" : " ", flag.letter);
        first = false;
    }
}

const char* size_name(uint64_t size) {
    return size == 1ull << 30 ? "1 GiB" : size == 1ull << 21 ? "2 MiB" : "4 KiB";
}

Status vm_command(const Context&, const Args& args) {
    if (args.count() != 2) return Status::kBadUsage;
    uint64_t address = 0;
    if (!parse_argument(args, 1, "ADDR", address)) return Status::kFailed;
    if (!vm::built()) {
        console::print("vm: paging is off (see the boot's paging line)\n");
        return Status::kFailed;
    }
    const mm::Walk w = vm::walk(address);
    console::print("vm {:#x}: satp {:#x} (Sv39, root table at {:#x})\n", address, vm::satp(),
                   (vm::satp() & ((1ull << 44) - 1)) << 12);
    if (w.stopped_at < 0) {
        console::print("  not a Sv39 address: bits 63..39 must all equal bit 38\n");
        return Status::kOk;
    }
    for (int level = 2; level >= w.stopped_at; --level) {
        const uint64_t entry = w.entries[level];
        const uint64_t target = (entry >> 10 & ((1ull << 44) - 1)) << 12;
        console::print("  level {} entry {:#018x}: ", level, entry);
        if ((entry & mm::kPteValid) == 0) {
            console::print("invalid\n");
        } else if ((entry & (mm::kPteRead | mm::kPteWrite | mm::kPteExecute)) == 0) {
            console::print("next table at {:#x}\n", target);
        } else {
            console::print("leaf, ");
            print_flags(entry);
            console::print(", {} page at {:#x}\n", size_name(w.page_size), target);
        }
    }
    if (w.mapped) {
        console::print("  maps to {:#x} (", w.physical);
        print_flags(w.flags);
        console::print(")\n");
    } else {
        console::print("  not mapped: the walk stopped at level {}\n", w.stopped_at);
    }
    return Status::kOk;
}

}  // namespace

extern const Command kVmCommand{"vm", "walk the kernel page table for ADDR, level by level",
                                "vm ADDR", vm_command};

}  // namespace keel::shell
