// SPDX-License-Identifier: MIT
// keel's stand-ins for std::move / std::forward (no C++ standard headers on the bare-metal target).
#pragma once

namespace keel {

template <typename T>
struct RemoveReference {
    using Type = T;
};
template <typename T>
struct RemoveReference<T&> {
    using Type = T;
};
template <typename T>
struct RemoveReference<T&&> {
    using Type = T;
};

template <typename T>
constexpr typename RemoveReference<T>::Type&& move(T&& value) noexcept {
    return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template <typename T>
constexpr T&& forward(typename RemoveReference<T>::Type& value) noexcept {
    return static_cast<T&&>(value);
}

}  // namespace keel
