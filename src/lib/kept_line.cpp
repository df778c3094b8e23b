// SPDX-License-Identifier: MIT
// KeptLine: a row that is the edited line's, or another's, or nobody's in particular.
#include <keel/lib/kept_line.h>
#include <keel/lib/memory.h>
#include <keel/lib/terminal.h>

namespace keel {
namespace {

bool ends_line(StringView text) {
    return text.size > 0 && text.data[text.size - 1] == '\n';
}

void send(FormatSink& device, const char* text) {
    device.write(text, strlen(text));
}

}  // namespace

void KeptLine::draw(FormatSink& device) const {
    send(device, "\r");
    device.write(picture_, length_);
}

void KeptLine::show(StringView echo, StringView picture, FormatSink& device) {
    if (picture.size > kCapacity) {  // cannot be drawn again: not kept
        device.write(echo.data, echo.size);
        row_ = Row::kReleased;
        return;
    }
    memcpy(picture_, picture.data, picture.size);
    length_ = picture.size;
    if (row_ == Row::kOther) {
        send(device, "\n");  // under another's unfinished line, on a row of its own
        draw(device);
    } else if (stale_) {
        draw(device);
    } else {
        device.write(echo.data, echo.size);
    }
    row_ = Row::kShown;
    owner_sent_ = false;
    stale_ = false;
}

bool KeptLine::owner_writes(StringView text) {
    if (text.size > 0 && memchr(text.data, '\n', text.size) != nullptr) {
        row_ = Row::kReleased;
        owner_sent_ = false;
        stale_ = false;
        return true;
    }
    if (row_ == Row::kReleased || (row_ == Row::kShown && !stale_)) {
        owner_sent_ = true;
        return true;
    }
    stale_ = true;
    return false;
}

void KeptLine::before_other(FormatSink& device) {
    if (row_ != Row::kShown) return;
    send(device, "\r");
    send(device, terminal::kEraseToEnd);
    if (owner_sent_) stale_ = true;  // what the owner sent past the picture is gone
}

void KeptLine::after_other(StringView text, FormatSink& device) {
    if (row_ == Row::kReleased) return;
    if (!ends_line(text)) {
        row_ = Row::kOther;
        return;
    }
    draw(device);
    row_ = Row::kShown;
}

}  // namespace keel
