// SPDX-License-Identifier: MIT
// The terminal control sequences keel sends (ECMA-48 / VT100), named once.
#pragma once

namespace keel::terminal {

inline constexpr char kBell[] = "\a";
inline constexpr char kEraseToEnd[] = "\x1b[K";          // EL: erase in line, cursor to end
inline constexpr char kClearScreen[] = "\x1b[H\x1b[2J";  // CUP home, then ED 2: erase display

}  // namespace keel::terminal
