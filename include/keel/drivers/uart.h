// SPDX-License-Identifier: MIT
// What every UART driver gives the console: a byte out if the device has room for it, and a byte
// in if one waits; neither ever waits. How long to wait for room, and what to do when the device
// makes none, is the console's (core/console.cpp): that policy lives there, once, for every driver.
#pragma once
#include <stdint.h>

namespace keel {

class Uart {
public:
    virtual void init() = 0;
    // Sends one byte if the device has room for it now; false (nothing sent) if it has none.
    virtual bool try_send(char c) = 0;
    // The next received byte (0..255), or -1 when none is waiting.
    virtual int get() = 0;
    virtual const char* name() const = 0;
    // Makes the device raise its interrupt line whenever a received byte is waiting.
    virtual void enable_receive_interrupt() = 0;

    // Whether the device itself sends CR LF for LF (the firmware's console): keel's '\n' goes to
    // it as it is, and a terminal's CR LF as LF alone; every other device is sent CR LF.
    bool sends_cr_for_lf() const { return !adds_carriage_return_; }

protected:
    // `adds_carriage_return`: false for devices that already turn LF into CR LF themselves
    // (OpenSBI's console does).
    constexpr explicit Uart(bool adds_carriage_return = true)
        : adds_carriage_return_(adds_carriage_return) {}
    ~Uart() = default;

private:
    bool adds_carriage_return_;
};

}  // namespace keel
