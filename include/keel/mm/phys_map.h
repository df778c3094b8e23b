// SPDX-License-Identifier: MIT
// PhysMap: what RAM there is and what of it is taken, in bytes, and the free pages left. RAM comes
// from the device tree's /memory nodes (any number, any order, even overlapping); reservations
// are what must never be handed out: the firmware's /reserved-memory regions and the FDT header's
// memory-reservation block, the kernel image, the device tree blob, an initrd. Free pages are the
// whole pages inside RAM and outside every reservation: RAM is rounded inward to pages,
// reservations outward. Portable and host-tested; it only does arithmetic.
#pragma once
#include <stddef.h>
#include <stdint.h>

namespace keel::mm {

inline constexpr uint64_t kPageSize = 4096;

// The page boundary at or below `address`, and at or above it (saturating at the last page
// boundary instead of wrapping).
constexpr uint64_t page_down(uint64_t address) {
    return address & ~(kPageSize - 1);
}
constexpr uint64_t page_up(uint64_t address) {
    return address > ~(kPageSize - 1) ? ~(kPageSize - 1) : page_down(address + kPageSize - 1);
}

// [base, base + size); `end()` saturates at 2^64 - 1 instead of wrapping.
struct Range {
    uint64_t base = 0;
    uint64_t size = 0;
    constexpr uint64_t end() const { return base + size < base ? ~0ull : base + size; }
    constexpr bool empty() const { return size == 0; }
    friend constexpr bool operator==(const Range&, const Range&) = default;
};

enum class ReservationKind : uint8_t {
    kFirmware,     // a /reserved-memory child (OpenSBI puts itself there)
    kBlobReserve,  // an entry of the FDT header's memory-reservation block
    kKernel,       // keel's image: code, data, .bss (stacks, heap)
    kDeviceTree,   // the flattened device tree blob
    kInitrd,       // /chosen/linux,initrd-start..end
    kUnreadable,   // all RAM: a /reserved-memory reg keel cannot decode could lie anywhere in it
};

const char* reservation_kind_name(ReservationKind kind);

struct Reservation {
    Range range;
    ReservationKind kind = ReservationKind::kFirmware;
    bool no_map = false;  // not even to be mapped (a /reserved-memory no-map region)
};

class PhysMap {
public:
    static constexpr size_t kMaxRam = 16;
    static constexpr size_t kMaxReservations = 32;

    // Records RAM. False (nothing changes) for a zero-size range or a full table.
    bool add_ram(Range range);
    // Records a reservation. Outside RAM it changes nothing (it is still listed).
    bool reserve(Range range, ReservationKind kind, bool no_map = false);

    size_t ram_count() const { return ram_count_; }
    const Range& ram(size_t index) const { return ram_[index]; }
    size_t reservation_count() const { return reservation_count_; }
    const Reservation& reservation(size_t index) const { return reservations_[index]; }

    // RAM as disjoint page-aligned ranges in address order (overlapping or touching /memory
    // entries merged, each rounded inward to whole pages). Returns how many; writes at most
    // `capacity`.
    size_t ram_pages(Range* out, size_t capacity) const;
    // The free page ranges, disjoint and in address order: RAM pages outside every reservation.
    size_t free_pages(Range* out, size_t capacity) const;

    // Whole pages of RAM, and of them those a reservation (of `kind`, or any) covers.
    uint64_t ram_page_count() const;
    uint64_t reserved_page_count() const;
    uint64_t reserved_page_count(ReservationKind kind) const;

private:
    Range ram_[kMaxRam];
    size_t ram_count_ = 0;
    Reservation reservations_[kMaxReservations];
    size_t reservation_count_ = 0;
};

}  // namespace keel::mm
