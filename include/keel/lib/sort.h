// SPDX-License-Identifier: MIT
// insertion_sort: sorts a small array in place (stable, no allocation): the physical map's ranges,
// the kernel map's special regions. A few dozen items at most; nothing here needs more.
#pragma once
#include <stddef.h>

namespace keel {

// Sorts items[0, count) so that less(a, b) never holds for a later a and an earlier b.
template <typename T, typename Less>
void insertion_sort(T* items, size_t count, Less less) {
    for (size_t i = 1; i < count; ++i) {
        const T key = items[i];
        size_t j = i;
        for (; j > 0 && less(key, items[j - 1]); --j) items[j] = items[j - 1];
        items[j] = key;
    }
}

}  // namespace keel
