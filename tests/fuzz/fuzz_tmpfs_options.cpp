// SPDX-License-Identifier: MIT
// Fuzzes tmpfs_options::parse with any mount data: it reads only the data's bytes; what it
// accepts has permission bits only in its mode and never names uid or gid -1; a refused list
// stays refused with more options after it, and an accepted one is read the same again.
#include <keel/lib/tmpfs_options.h>

#include <string>

#include "fuzz_support.h"

using namespace keel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fuzz::ExactCopy text(data, size);
    tmpfs_options::Options got;
    const bool accepted = tmpfs_options::parse(text.view(), 32768, got);
    const std::string longer = std::string(text.chars(), size) + ",mode=700";
    tmpfs_options::Options after;
    const bool accepted_longer =
        tmpfs_options::parse(StringView{longer.data(), longer.size()}, 32768, after);
    if (!accepted) {
        fuzz::check(!accepted_longer, "a refused option list was accepted with more after it");
        return 0;
    }
    fuzz::check((got.mode & ~07777u) == 0, "a mode with more than permission bits");
    fuzz::check(got.uid != UINT32_MAX && got.gid != UINT32_MAX, "uid or gid -1 accepted");
    tmpfs_options::Options again;
    fuzz::check(tmpfs_options::parse(text.view(), 32768, again) &&
                    again.max_pages == got.max_pages && again.mode == got.mode,
                "the same options read otherwise");
    return 0;
}
