// SPDX-License-Identifier: MIT
// An execve's arguments and environment (include/keel/kernel/loader.h's ExecArgs): the strings in
// one block of pages, their offsets in another, each as small as what it holds (a page, mostly)
// and doubled as it fills, rather than a block of the largest size (128 KiB) for every exec.
#include <keel/abi/errno.h>
#include <keel/arch/riscv/memlayout.h>
#include <keel/kernel/loader.h>
#include <keel/kernel/syscalls.h>
#include <keel/lib/memory.h>
#include <keel/mm/pages.h>

namespace keel::process {
namespace {

// Linux-like limits, as before the blocks grew: 4096 strings, 112 KiB of them.
constexpr size_t kStringBytes = ExecArgs::kCapacity - ExecArgs::kMaxStrings * sizeof(uint32_t);
static_assert(kStringBytes >= 64 * 1024);
// A string of the calling program's is copied this much at a time, up to its NUL.
constexpr uint64_t kChunk = 256;

size_t bytes_of(unsigned order) {
    return kPage << order;
}

// `block` (2^order pages, its first `kept` bytes in use) made at least `wanted` bytes long, moved
// to a larger block when it is not; false when there are no pages for one.
bool grow(char*& block, unsigned& order, size_t kept, size_t wanted) {
    if (block != nullptr && bytes_of(order) >= wanted) return true;
    unsigned larger = block == nullptr ? 0 : order + 1;
    while (bytes_of(larger) < wanted) ++larger;
    const auto pages = pages::allocate(larger, mm::Contents::kUninitialized);  // (written first)
    if (!pages.ok()) return false;
    char* grown = memlayout::to_pointer<char>(pages.value());
    if (block != nullptr) {
        memcpy(grown, block, kept);
        pages::free(memlayout::to_physical(block), order);
    }
    block = grown;
    order = larger;
    return true;
}

}  // namespace

ExecArgs::~ExecArgs() {
    if (strings_ != nullptr) pages::free(memlayout::to_physical(strings_), strings_order_);
    if (starts_ != nullptr) pages::free(memlayout::to_physical(starts_), starts_order_);
}

uint32_t* ExecArgs::starts() const {
    return reinterpret_cast<uint32_t*>(starts_);
}

int ExecArgs::add(StringView text) {
    const size_t count = argc_ + envc_;
    if (count == kMaxStrings || text.size + 1 > kStringBytes - used_) return -E2BIG;
    // add_user_vector's text is in the block already, where it goes: it moves with the block.
    const bool inside = strings_ != nullptr && text.data >= strings_ &&
                        text.data < strings_ + bytes_of(strings_order_);
    const size_t at = inside ? static_cast<size_t>(text.data - strings_) : 0;
    if (!grow(strings_, strings_order_, inside ? at + text.size : used_, used_ + text.size + 1) ||
        !grow(starts_, starts_order_, count * sizeof(uint32_t), (count + 1) * sizeof(uint32_t)))
        return -ENOMEM;
    memmove(strings_ + used_, inside ? strings_ + at : text.data, text.size);
    strings_[used_ + text.size] = '\0';
    starts()[count] = static_cast<uint32_t>(used_);
    used_ += text.size + 1;
    return 0;
}

int ExecArgs::add_argument(StringView text) {
    if (envc_ != 0) return -EINVAL;  // arguments first
    const int error = add(text);
    if (error == 0) ++argc_;
    return error;
}

int ExecArgs::add_environment(StringView text) {
    const int error = add(text);
    if (error == 0) ++envc_;
    return error;
}

int ExecArgs::prepend_argument(StringView text, bool replace_first) {
    if (replace_first && argc_ > 0) {
        // argv[0] goes: its offset is forgotten (its bytes stay, unused).
        memmove(starts(), starts() + 1, (argc_ + envc_ - 1) * sizeof(uint32_t));
        --argc_;
    }
    const size_t at = used_;
    if (const int error = add(text); error != 0) return error;
    // add() put it last: move its offset to the front.
    const size_t total = argc_ + envc_ + 1;
    memmove(starts() + 1, starts(), (total - 1) * sizeof(uint32_t));
    starts()[0] = static_cast<uint32_t>(at);
    ++argc_;
    return 0;
}

// One string of the calling program's at `pointer`, kChunk bytes at a time (never past its
// page's end: the next page may not be there) up to its NUL.
int ExecArgs::add_user_string(uint64_t pointer, bool environment) {
    Process& p = *current();
    const size_t start = used_;
    for (uint64_t at = pointer;;) {
        // Up to the chunk's or the page's end, or as much as there is room for (no NUL: E2BIG).
        uint64_t chunk = kChunk - at % kChunk;
        if (chunk > kStringBytes - used_) chunk = kStringBytes - used_;
        if (chunk == 0) return -E2BIG;
        if (!grow(strings_, strings_order_, used_, used_ + chunk)) return -ENOMEM;
        if (!syscalls::copy_from_user(p, strings_ + used_, at, chunk)) return -EFAULT;
        const void* nul = memchr(strings_ + used_, '\0', chunk);
        if (nul != nullptr) {
            used_ = start;  // add() copies it again into place (a memmove of the same bytes)
            const StringView text{
                strings_ + start,
                static_cast<size_t>(static_cast<const char*>(nul) - (strings_ + start))};
            return environment ? add_environment(text) : add_argument(text);
        }
        used_ += chunk;
        at += chunk;
    }
}

int ExecArgs::add_user_vector(uint64_t vector, bool environment) {
    Process& p = *current();
    for (uint64_t i = 0; vector != 0; ++i) {
        uint64_t pointer;
        if (!syscalls::copy_from_user(p, &pointer, vector + i * 8, 8)) return -EFAULT;
        if (pointer == 0) return 0;
        if (const int error = add_user_string(pointer, environment); error != 0) return error;
    }
    return 0;
}

StringView ExecArgs::string(size_t i) const {
    return StringView::of(strings_ + starts()[i]);
}

}  // namespace keel::process
