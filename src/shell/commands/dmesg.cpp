// SPDX-License-Identifier: MIT
// dmesg: the kernel log (core/log.h), as busybox's dmesg shows it: each line with the time since
// boot it was said at, without syslog's "<level>" in front.
#include <keel/core/console.h>
#include <keel/core/log.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status dmesg_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    uint64_t position = log::newest(log::kCapacity);  // what is held and not cleared
    const uint64_t end = log::end();  // what was there when asked (the echo of this goes on)
    enum class At : uint8_t { kLineStart, kLevel, kText } at = At::kLineStart;
    char chunk[128];
    char out[128];
    while (position < end && !console::cancel_requested()) {
        const size_t want = end - position < sizeof chunk ? end - position : sizeof chunk;
        const size_t n = log::copy(position, chunk, want);
        if (n == 0) break;
        size_t kept = 0;
        for (size_t i = 0; i < n; ++i) {
            const char c = chunk[i];
            if (at == At::kLevel) {  // "<6>" is left out
                if (c == '>') at = At::kText;
                continue;
            }
            if (at == At::kLineStart && c == '<') {
                at = At::kLevel;
                continue;
            }
            out[kept++] = c;
            at = c == '\n' ? At::kLineStart : At::kText;
        }
        console::write(out, kept);
    }
    return Status::kOk;
}

}  // namespace

extern const Command kDmesgCommand{"dmesg", "the kernel log: boot lines and later kernel messages",
                                   "dmesg", dmesg_command};

}  // namespace keel::shell
