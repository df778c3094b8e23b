// SPDX-License-Identifier: MIT
// What every UART driver gives the console: raw byte out (waiting a bounded time for room) and
// non-blocking byte in. Newline translation lives here, once, for every driver.
#pragma once
#include <stdint.h>

namespace keel {

class Uart {
public:
    virtual void init() = 0;
    // Sends one byte, waiting a bounded time for room (kSendTimeoutUs); false when the device did
    // not make room in that time (it is broken, or not there: the console then abandons it).
    virtual bool put_raw(char c) = 0;
    // The next received byte (0..255), or -1 when none is waiting.
    virtual int get() = 0;
    virtual const char* name() const = 0;
    // Makes the device raise its interrupt line whenever a received byte is waiting.
    virtual void enable_receive_interrupt() = 0;

    // Terminals expect CR LF; keel's text uses '\n'.
    bool put(char c) {
        if (c == '\n' && adds_carriage_return_ && !put_raw('\r')) return false;
        return put_raw(c);
    }

    // Whether the device itself sends CR LF for LF (the firmware's console): a terminal's CR LF
    // then goes to it as LF alone.
    bool sends_cr_for_lf() const { return !adds_carriage_return_; }

    // A byte takes about 1 ms at 9600 baud; a UART that has not made room for the next one after
    // this long never will.
    static constexpr uint64_t kSendTimeoutUs = 20'000;

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
