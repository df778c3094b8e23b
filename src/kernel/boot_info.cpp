// SPDX-License-Identifier: MIT
// Fills BootInfo from the device tree: model, memory, timebase, bootargs, the console's UART,
// the test finisher, the real-time clock, the PLIC and, per hart, whether it runs S-mode and
// which PLIC context is its.
#include <keel/arch/riscv/trap_cause.h>
#include <keel/kernel/boot_info.h>
#include <keel/lib/memory.h>

namespace keel {
namespace {

using fdt::DeviceTree;
using fdt::Node;

// The PLIC's interrupts-extended lists one (cpu-intc phandle, interrupt) pair per context; S-mode
// external interrupts are number 9 (privileged spec §4.1.3, SEIP).
constexpr auto kSupervisorExternal = static_cast<uint32_t>(Interrupt::kSupervisorExternal);

// T-Head's C900 PLIC (Allwinner D1) has the same registers; firmware grants S-mode access to it.
constexpr const char* kPlicCompatibles[] = {"riscv,plic0", "sifive,plic-1.0.0", "thead,c900-plic"};
constexpr const char* kFinisherCompatibles[] = {"sifive,test1", "sifive,test0"};

// A timebase under 1 kHz cannot time a millisecond (the console polls at 1 kHz): a tree that says
// so (timebase-frequency = <0>, say) is not believed.
constexpr uint64_t kMinTimebaseHz = 1000;

// 16550 registers sit 1 << reg-shift bytes apart; real boards use 0 (bytes) or 2 (words).
constexpr uint32_t kMaxRegShift = 3;

bool isa_has_sstc(const char* isa) {
    // Multi-letter extensions follow '_' in the ISA string: "rv64imafdch_zicsr_..._sstc".
    for (const char* p = strstr(isa, "_sstc"); p != nullptr; p = strstr(p + 1, "_sstc")) {
        if (p[5] == '\0' || p[5] == '_') return true;
    }
    return false;
}

template <size_t N>
Result<Node, fdt::Error> find_any_compatible(const DeviceTree& tree,
                                             const char* const (&names)[N]) {
    for (const char* name : names) {
        auto node = tree.find_compatible(name);
        if (node.ok()) return node;
    }
    return fdt::Error::kNotFound;
}

HartInfo read_hart(const DeviceTree& tree, Node cpu, uint64_t id) {
    HartInfo hart;
    hart.id = id;
    // S-mode harts carry an mmu-type; a monitor core such as sifive_u's E51 has none.
    hart.usable = tree.is_enabled(cpu) && tree.property(cpu, "mmu-type").ok();
    const auto isa = tree.property(cpu, "riscv,isa");
    const auto isa_text = isa.ok() ? isa.value().string() : fdt::Error::kNotFound;
    const auto extensions = tree.property(cpu, "riscv,isa-extensions");
    hart.has_sstc = (isa_text.ok() && isa_has_sstc(isa_text.value())) ||
                    (extensions.ok() && extensions.value().string_list_contains("sstc"));
    hart.isa = isa_text.ok() ? isa_text.value() : nullptr;
    return hart;
}

// The cpu nodes in tree order, at most kMaxHarts of them, keeping a place for the boot hart
// until it is seen (OpenSBI may boot on any hart, hart 15 of 16 included).
void read_harts(const DeviceTree& tree, uint64_t boot_hart, BootInfo& info) {
    const auto cpus = tree.find_path("/cpus");
    if (!cpus.ok()) return;
    bool boot_seen = false;
    for (Node cpu : tree.children(cpus.value())) {
        const auto type = tree.property(cpu, "device_type");
        if (!type.ok() || !type.value().string_list_contains("cpu")) continue;
        const auto reg = tree.reg(cpu, 0);
        if (!reg.ok() || info.hart(reg.value().address) != nullptr) continue;  // no id, or a twin
        const uint64_t id = reg.value().address;
        const bool is_boot = id == boot_hart;
        const unsigned room = memlayout::kMaxHarts - (boot_seen || is_boot ? 0 : 1);
        if (info.hart_count >= room) {
            if (info.skipped_count < kMaxSkippedHarts) info.skipped_ids[info.skipped_count] = id;
            ++info.skipped_count;
            continue;
        }
        boot_seen = boot_seen || is_boot;
        info.harts[info.hart_count++] = read_hart(tree, cpu, id);
        if (info.harts[info.hart_count - 1].usable) ++info.usable_harts;
    }
}

// Context i of the PLIC serves the hart whose cpu-intc the i-th pair names.
void read_plic(const DeviceTree& tree, Result<Node, fdt::Error> plic, BootInfo& info) {
    if (!plic.ok()) return;
    const auto reg = tree.reg(plic.value(), 0);
    const auto sources = tree.property(plic.value(), "riscv,ndev");
    const auto contexts = tree.property(plic.value(), "interrupts-extended");
    if (!reg.ok() || !sources.ok() || !sources.value().u32().ok() || !contexts.ok()) return;
    info.plic_base = reg.value().address;
    info.plic_size = reg.value().size;
    const uint32_t count = sources.value().u32().value();
    info.plic_sources = count < kMaxPlicSources ? count : kMaxPlicSources;
    const fdt::Property& pairs = contexts.value();
    for (uint32_t context = 0; 2 * context + 1 < pairs.cell_count(); ++context) {
        if (pairs.u32(2 * context + 1).value() != kSupervisorExternal) continue;
        const auto intc = tree.find_phandle(pairs.u32(2 * context).value());
        const auto cpu = intc.ok() ? tree.parent(intc.value()) : fdt::Error::kNotFound;
        const auto hartid = cpu.ok() ? tree.reg(cpu.value(), 0) : fdt::Error::kNotFound;
        HartInfo* hart = hartid.ok() ? info.hart(hartid.value().address) : nullptr;
        if (hart != nullptr) hart->plic_context = static_cast<int>(context);
    }
}

// The ways to end the machine the tree names: a test finisher (QEMU virt), spike's HTIF, and a
// gpio-restart line (sifive_u: GPIO 10 of its sifive,gpio0 block, active low).
void read_power(const DeviceTree& tree, BootInfo& info) {
    const auto finisher = find_any_compatible(tree, kFinisherCompatibles);
    if (finisher.ok() && tree.reg(finisher.value(), 0).ok()) {
        info.power.test_finisher = tree.reg(finisher.value(), 0).value().address;
    }
    const auto htif = tree.find_compatible("ucb,htif0");
    if (htif.ok() && tree.reg(htif.value(), 0).ok())
        info.power.htif = tree.reg(htif.value(), 0).value().address;
    const auto restart = tree.find_compatible("gpio-restart");
    const auto gpios =
        restart.ok() ? tree.property(restart.value(), "gpios") : fdt::Error::kNotFound;
    if (!gpios.ok() || gpios.value().cell_count() < 3) return;
    const auto controller = tree.find_phandle(gpios.value().u32(0).value());
    const uint32_t pin = gpios.value().u32(1).value();
    if (!controller.ok() || !tree.is_compatible(controller.value(), "sifive,gpio0") || pin >= 32)
        return;
    const auto reg = tree.reg(controller.value(), 0);
    if (!reg.ok()) return;
    info.power.restart =
        power::RestartGpio{reg.value().address, pin, (gpios.value().u32(2).value() & 1) != 0};
}

// QEMU virt's real-time clock: a goldfish RTC, whose TIME_LOW and TIME_HIGH need 8 bytes of reg,
// 4-byte aligned, outside RAM (a write to it sets the clock). A disabled node is no clock; a reg
// that cannot be its registers is refused, with the reason.
const char* rtc_reg_problem(const fdt::Region& reg, const BootInfo& info) {
    if (reg.address == 0) return "it sits at address 0";
    if (reg.size < 8 || reg.address % 4 != 0 || reg.address + 8 < reg.address)
        return "its reg cannot hold its registers";
    for (unsigned i = 0; i < info.memory_count; ++i) {
        const fdt::Region& ram = info.memory_ranges[i];
        if (reg.address < ram.address + ram.size && ram.address < reg.address + 8)
            return "it sits in RAM";
    }
    return nullptr;
}

void read_rtc(const DeviceTree& tree, BootInfo& info) {
    const auto rtc = tree.find_compatible("google,goldfish-rtc");
    if (!rtc.ok() || !tree.is_enabled(rtc.value())) return;
    const auto reg = tree.reg(rtc.value(), 0);
    info.rtc_refused = reg.ok() ? rtc_reg_problem(reg.value(), info) : "it has no reg";
    if (info.rtc_refused == nullptr) info.rtc_base = reg.value().address;
}

uint32_t u32_property(const DeviceTree& tree, Node node, const char* name, uint32_t fallback) {
    const auto property = tree.property(node, name);
    return property.ok() ? property.value().u32().value_or(fallback) : fallback;
}

// The PLIC source `device` interrupts on; 0 when its interrupt goes to another controller
// (Devicetree spec §2.4: interrupts-extended, or interrupts with an inherited interrupt-parent).
uint32_t plic_source(const DeviceTree& tree, Node device, Result<Node, fdt::Error> plic) {
    if (!plic.ok()) return 0;
    const auto extended = tree.property(device, "interrupts-extended");
    if (extended.ok()) {
        const auto controller = tree.find_phandle(extended.value().u32(0).value_or(0));
        return controller.ok() && controller.value() == plic.value()
                   ? extended.value().u32(1).value_or(0)
                   : 0;
    }
    const uint32_t source = u32_property(tree, device, "interrupts", 0);
    for (auto node = Result<Node, fdt::Error>(device); node.ok();
         node = tree.parent(node.value())) {
        const auto parent = tree.property(node.value(), "interrupt-parent");
        if (!parent.ok()) continue;
        const auto controller = tree.find_phandle(parent.value().u32().value_or(0));
        return controller.ok() && controller.value() == plic.value() ? source : 0;
    }
    return 0;
}

// Why keel cannot drive a UART with these register settings, or nullptr when it can.
const char* uart_layout_problem(const ConsoleInfo& uart, const fdt::Region& memory) {
    if (uart.base == 0) return "it sits at address 0";
    if (uart.base - memory.address < memory.size) return "it sits in RAM";
    if (uart.reg_shift > kMaxRegShift) return "its reg-shift is over 3";
    if (uart.reg_io_width != 1 && uart.reg_io_width != 4) return "its reg-io-width is not 1 or 4";
    return nullptr;
}

// The driver for `node`, if keel has one and the node is usable; fills `console`. A UART keel
// drives but whose registers make no sense is remembered in info.refused_console.
bool read_uart(const DeviceTree& tree, Node node, Result<Node, fdt::Error> plic, BootInfo& info) {
    if (!tree.is_enabled(node)) return false;
    for (const UartCompatible& known : kUartCompatibles) {
        if (!tree.is_compatible(node, known.compatible)) continue;
        const auto reg = tree.reg(node, 0);
        if (!reg.ok()) return false;
        ConsoleInfo uart;
        uart.driver = known.driver;
        uart.compatible = known.compatible;
        uart.base = reg.value().address;
        uart.reg_shift = u32_property(tree, node, "reg-shift", 0);
        uart.reg_io_width = u32_property(tree, node, "reg-io-width", 1);
        uart.irq = plic_source(tree, node, plic);
        if (const char* problem = uart_layout_problem(uart, info.memory)) {
            if (info.refused_console.reason == nullptr) {
                info.refused_console = RefusedUart{uart.base, uart.compatible, problem};
            }
            return false;
        }
        info.console = uart;
        return true;
    }
    return false;
}

// /chosen/stdout-path first (Devicetree spec §3.6); else the first enabled UART keel drives;
// else the firmware console.
void read_console(const DeviceTree& tree, Result<Node, fdt::Error> plic, BootInfo& info) {
    const auto path = tree.stdout_path();
    // Its ":options" (a baud rate) are not used: keel keeps the rate the firmware set.
    if (path.ok() && read_uart(tree, path.value().node, plic, info)) return;
    for (auto node = tree.next_node(tree.root()); node.ok(); node = tree.next_node(node.value())) {
        if (read_uart(tree, node.value(), plic, info)) return;
    }
}

}  // namespace

const HartInfo* BootInfo::hart(uint64_t id) const {
    for (unsigned i = 0; i < hart_count; ++i) {
        if (harts[i].id == id) return &harts[i];
    }
    return nullptr;
}

HartInfo* BootInfo::hart(uint64_t id) {
    return const_cast<HartInfo*>(static_cast<const BootInfo&>(*this).hart(id));
}

// A memory node: device_type "memory" (§3.4), or, in trees that leave it out, the name memory@.
bool is_memory_node(const DeviceTree& tree, Node node) {
    const auto type = tree.property(node, "device_type");
    if (type.ok() && type.value().string().ok())
        return strcmp(type.value().string().value(), "memory") == 0;
    const char* name = tree.name(node);
    return strncmp(name, "memory@", 7) == 0 || strcmp(name, "memory") == 0;
}

void read_memory(const DeviceTree& tree, BootInfo& info) {
    for (auto node = tree.next_node(tree.root()); node.ok(); node = tree.next_node(node.value())) {
        if (!is_memory_node(tree, node.value()) || !tree.is_enabled(node.value())) continue;
        for (size_t i = 0;; ++i) {
            const auto reg = tree.reg(node.value(), i);
            if (!reg.ok()) break;
            if (reg.value().size == 0) continue;
            if (info.memory_count == kMaxMemoryRanges) {
                ++info.memory_dropped;
                continue;
            }
            info.memory_ranges[info.memory_count++] = reg.value();
        }
    }
    if (info.memory_count > 0) info.memory = info.memory_ranges[0];
}

void add_reserved(BootInfo& info, fdt::Region region, bool from_blob_header, bool no_map) {
    if (region.size == 0) return;
    if (info.reserved_count == kMaxReservedRanges) {
        ++info.reserved_dropped;
        return;
    }
    info.reserved[info.reserved_count++] = ReservedRange{region, from_blob_header, no_map};
}

// A /reserved-memory child's reg entries. A reg keel cannot decode (cells it does not read, a
// length that is not whole entries) is remembered: what it keeps is unknown.
void read_reserved_child(const DeviceTree& tree, Node child, BootInfo& info) {
    // §3.5.4: no-map says the OS must not map the region at all (OpenSBI's has it).
    const bool no_map = tree.property(child, "no-map").ok();
    for (size_t i = 0;; ++i) {
        const auto reg = tree.reg(child, i);
        if (reg.ok()) {
            add_reserved(info, reg.value(), false, no_map);
            continue;
        }
        // kNotFound: past the last entry, or no reg at all (a child with only a size).
        if (reg.error() != fdt::Error::kNotFound && info.unreadable_reservation == nullptr) {
            info.unreadable_reservation = tree.name(child);
            info.unreadable_error = reg.error();
        }
        return;
    }
}

// The firmware's memory: /reserved-memory's children (§3.5; a child with only a size is not
// placed yet and takes nothing) and the blob's memory-reservation block (§5.3).
void read_reserved(const DeviceTree& tree, BootInfo& info) {
    const auto reserved = tree.find_path("/reserved-memory");
    if (reserved.ok()) {
        for (Node child : tree.children(reserved.value())) read_reserved_child(tree, child, info);
    }
    for (size_t i = 0;; ++i) {
        const auto entry = tree.memory_reservation(i);
        if (!entry.ok()) break;
        add_reserved(info, entry.value(), true, false);  // not allocated, but mapped
    }
}

// /chosen/linux,initrd-start and -end, each a <u32> or <u64> (as Linux reads them).
void read_initrd(const DeviceTree& tree, BootInfo& info) {
    const auto chosen = tree.find_path("/chosen");
    if (!chosen.ok()) return;
    const auto start = tree.property(chosen.value(), "linux,initrd-start");
    const auto end = tree.property(chosen.value(), "linux,initrd-end");
    if (!start.ok() || !end.ok()) return;
    const auto first = start.value().number();
    const auto last = end.value().number();
    if (!first.ok() || !last.ok() || last.value() <= first.value()) return;
    info.initrd = fdt::Region{first.value(), last.value() - first.value()};
}

BootInfo read_boot_info(const void* blob, uint64_t physical, uint64_t boot_hart, size_t limit) {
    BootInfo info;
    info.tree_address = physical;
    const auto opened = DeviceTree::open(blob, limit);
    if (!opened.ok()) {
        info.tree_error = opened.error();
        return info;
    }
    const DeviceTree& tree = opened.value();
    info.tree_ok = true;
    info.tree_size = tree.total_size();

    const auto model = tree.property(tree.root(), "model");
    if (model.ok() && model.value().string().ok()) info.model = model.value().string().value();
    read_memory(tree, info);
    read_reserved(tree, info);
    read_initrd(tree, info);
    const auto timebase = tree.timebase_frequency();
    if (timebase.ok() && timebase.value() >= kMinTimebaseHz) {
        info.timebase_hz = timebase.value();
        info.timebase_assumed = false;
    }
    const auto bootargs = tree.bootargs();
    if (bootargs.ok()) info.bootargs = bootargs.value();
    const auto plic = find_any_compatible(tree, kPlicCompatibles);
    read_power(tree, info);
    read_rtc(tree, info);
    read_harts(tree, boot_hart, info);
    read_plic(tree, plic, info);
    read_console(tree, plic, info);
    return info;
}

mm::PhysMap physical_map(const BootInfo& info, mm::Range kernel) {
    mm::PhysMap map;
    for (unsigned i = 0; i < info.memory_count; ++i)
        map.add_ram(mm::Range{info.memory_ranges[i].address, info.memory_ranges[i].size});
    for (unsigned i = 0; i < info.reserved_count; ++i) {
        const ReservedRange& r = info.reserved[i];
        map.reserve(
            mm::Range{r.region.address, r.region.size},
            r.from_blob_header ? mm::ReservationKind::kBlobReserve : mm::ReservationKind::kFirmware,
            r.no_map);
    }
    if (info.unreadable_reservation != nullptr) {
        for (unsigned i = 0; i < info.memory_count; ++i) {
            map.reserve(mm::Range{info.memory_ranges[i].address, info.memory_ranges[i].size},
                        mm::ReservationKind::kUnreadable);
        }
    }
    map.reserve(kernel, mm::ReservationKind::kKernel);
    if (info.tree_ok)
        map.reserve(mm::Range{info.tree_address, info.tree_size}, mm::ReservationKind::kDeviceTree);
    map.reserve(mm::Range{info.initrd.address, info.initrd.size}, mm::ReservationKind::kInitrd);
    return map;
}

}  // namespace keel
