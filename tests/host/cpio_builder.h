// SPDX-License-Identifier: MIT
// cpio newc archives written the way `cpio -o -H newc` lays them out, for the tests of the reader
// (cpio_test.cpp) and of unpacking (unpack_test.cpp): each entry a 110-byte header of hex fields,
// the name and its NUL padded to 4, the data padded to 4, and a TRAILER!!! entry at the end.
#pragma once
#include <stdint.h>
#include <stdio.h>

#include <string>

namespace keel::test {

struct CpioEntry {
    std::string name;
    uint32_t mode = 0;
    std::string data;  // a file's bytes, a symlink's target
    uint32_t ino = 0;  // 0: the next number
    uint32_t nlink = 1;
    uint32_t uid = 0;
    uint32_t gid = 0;
    uint32_t mtime = 0;
    uint32_t rdev_major = 0;
    uint32_t rdev_minor = 0;
};

class CpioBuilder {
public:
    CpioBuilder& add(const CpioEntry& e) {
        char header[111];
        const uint32_t ino = e.ino != 0 ? e.ino : next_ino_++;
        snprintf(header, sizeof header,
                 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, e.mode, e.uid,
                 e.gid, e.nlink, e.mtime, static_cast<unsigned>(e.data.size()), 0u, 0u,
                 e.rdev_major, e.rdev_minor, static_cast<unsigned>(e.name.size() + 1), 0u);
        bytes_ += std::string(header, 110);
        bytes_ += e.name;
        bytes_ += '\0';
        pad();
        bytes_ += e.data;
        pad();
        return *this;
    }
    CpioBuilder& add(const std::string& name, uint32_t mode, const std::string& data = "") {
        return add(CpioEntry{name, mode, data});
    }
    CpioBuilder& file(const std::string& name, const std::string& data) {
        return add(name, 0100644, data);
    }
    CpioBuilder& dir(const std::string& name) { return add(name, 040755); }
    CpioBuilder& symlink(const std::string& name, const std::string& target) {
        return add(name, 0120777, target);
    }
    std::string finish() {
        add("TRAILER!!!", 0);
        return bytes_;
    }

private:
    void pad() {
        while (bytes_.size() % 4 != 0) bytes_ += '\0';
    }
    std::string bytes_;
    uint32_t next_ino_ = 1;
};

}  // namespace keel::test
