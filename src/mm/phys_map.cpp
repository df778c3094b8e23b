// SPDX-License-Identifier: MIT
// PhysMap (include/keel/mm/phys_map.h): RAM minus reservations, in pages.
#include <keel/lib/sort.h>
#include <keel/mm/phys_map.h>

namespace keel::mm {
namespace {

// Sorts `ranges` by base.
void sort_by_base(Range* ranges, size_t count) {
    insertion_sort(ranges, count, [](const Range& a, const Range& b) { return a.base < b.base; });
}

// Writes range into out[count] if there is room; always counts it.
void emit(Range range, Range* out, size_t capacity, size_t& count) {
    if (count < capacity) out[count] = range;
    ++count;
}

// Page-aligned, merged, sorted copy of the reservations (rounded outward).
size_t reserved_spans(const Reservation* reservations, size_t count, Range* spans,
                      const ReservationKind* only) {
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
        if (reservations[i].range.empty()) continue;
        if (only != nullptr && reservations[i].kind != *only) continue;
        const uint64_t base = page_down(reservations[i].range.base);
        const uint64_t end = page_up(reservations[i].range.end());
        spans[n++] = Range{base, end - base};
    }
    sort_by_base(spans, n);
    return n;
}

// Subtracts sorted `spans` from each sorted range of `ram`, emitting what is left.
size_t subtract(const Range* ram, size_t ram_count, const Range* spans, size_t span_count,
                Range* out, size_t capacity) {
    size_t count = 0;
    for (size_t r = 0; r < ram_count; ++r) {
        uint64_t cursor = ram[r].base;
        const uint64_t end = ram[r].end();
        for (size_t s = 0; s < span_count && cursor < end; ++s) {
            if (spans[s].end() <= cursor) continue;
            if (spans[s].base >= end) break;
            if (spans[s].base > cursor)
                emit(Range{cursor, spans[s].base - cursor}, out, capacity, count);
            if (spans[s].end() > cursor) cursor = spans[s].end();
        }
        if (cursor < end) emit(Range{cursor, end - cursor}, out, capacity, count);
    }
    return count;
}

uint64_t pages_in(const Range* ranges, size_t count) {
    uint64_t pages = 0;
    for (size_t i = 0; i < count; ++i) pages += ranges[i].size / kPageSize;
    return pages;
}

}  // namespace

const char* reservation_kind_name(ReservationKind kind) {
    switch (kind) {
    case ReservationKind::kFirmware: return "firmware (/reserved-memory)";
    case ReservationKind::kBlobReserve: return "device tree memory reservation";
    case ReservationKind::kKernel: return "kernel image";
    case ReservationKind::kDeviceTree: return "device tree blob";
    case ReservationKind::kInitrd: return "initrd";
    case ReservationKind::kUnreadable: return "kept out: a /reserved-memory reg keel cannot decode";
    }
    return "?";
}

bool PhysMap::add_ram(Range range) {
    if (range.empty() || ram_count_ == kMaxRam) return false;
    ram_[ram_count_++] = range;
    return true;
}

bool PhysMap::reserve(Range range, ReservationKind kind, bool no_map) {
    if (range.empty() || reservation_count_ == kMaxReservations) return false;
    reservations_[reservation_count_++] = Reservation{range, kind, no_map};
    return true;
}

size_t PhysMap::ram_pages(Range* out, size_t capacity) const {
    Range sorted[kMaxRam];
    for (size_t i = 0; i < ram_count_; ++i) sorted[i] = ram_[i];
    sort_by_base(sorted, ram_count_);
    // Merge overlapping or touching entries, then round each inward to whole pages.
    size_t count = 0;
    for (size_t i = 0; i < ram_count_;) {
        uint64_t base = sorted[i].base;
        uint64_t end = sorted[i].end();
        for (++i; i < ram_count_ && sorted[i].base <= end; ++i) {
            if (sorted[i].end() > end) end = sorted[i].end();
        }
        const uint64_t first = page_up(base);
        const uint64_t last = page_down(end);
        if (last > first) emit(Range{first, last - first}, out, capacity, count);
    }
    return count;
}

size_t PhysMap::free_pages(Range* out, size_t capacity) const {
    Range ram[kMaxRam];
    const size_t ram_count = ram_pages(ram, kMaxRam);
    Range spans[kMaxReservations];
    const size_t span_count = reserved_spans(reservations_, reservation_count_, spans, nullptr);
    return subtract(ram, ram_count, spans, span_count, out, capacity);
}

uint64_t PhysMap::ram_page_count() const {
    Range ram[kMaxRam];
    return pages_in(ram, ram_pages(ram, kMaxRam));
}

uint64_t PhysMap::reserved_page_count() const {
    // Free ranges are at most one more than RAM ranges plus reservations.
    Range free[kMaxRam + kMaxReservations + 1];
    return ram_page_count() - pages_in(free, free_pages(free, kMaxRam + kMaxReservations + 1));
}

uint64_t PhysMap::reserved_page_count(ReservationKind kind) const {
    Range ram[kMaxRam];
    const size_t ram_count = ram_pages(ram, kMaxRam);
    Range spans[kMaxReservations];
    const size_t span_count = reserved_spans(reservations_, reservation_count_, spans, &kind);
    Range left[kMaxRam + kMaxReservations + 1];
    const size_t left_count =
        subtract(ram, ram_count, spans, span_count, left, kMaxRam + kMaxReservations + 1);
    return pages_in(ram, ram_count) - pages_in(left, left_count);
}

}  // namespace keel::mm
