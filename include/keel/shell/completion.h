// SPDX-License-Identifier: MIT
// What Tab completes a word to. One press gathers the names the word could become into
// Candidates (sorted, each once, with whether it is a directory); the line editor then adds what
// they all share, or lists them. The names come from the shell's own commands and from a
// NameSource: the programs on the search path, and a directory's entries (the kernel's file
// system; host tests give their own). Portable.
#pragma once
#include <keel/lib/string_view.h>
#include <stddef.h>
#include <stdint.h>

namespace keel::shell {

class Candidates {
public:
    static constexpr size_t kMaxNames = 512;    // /bin, /sbin, /usr/bin, /usr/sbin hold ~290
    static constexpr size_t kTextBytes = 8192;  // their names and the commands' take ~2.5 KiB
    static constexpr size_t kMaxName = 255;     // NAME_MAX: a longer name is never gathered

    void clear();
    // Adds a copy of `name` where it sorts, unless it is there already (a command and a program
    // of one name are one candidate). When full (or `name` is too long) it is counted in
    // left_out() instead.
    void add(StringView name, bool directory = false);

    size_t count() const { return count_; }
    size_t left_out() const { return left_out_; }
    // The index-th name in byte order, and whether it is a directory.
    StringView name(size_t index) const;
    bool directory(size_t index) const { return entries_[index].directory; }

private:
    struct Entry {
        uint16_t offset;
        uint8_t length;
        bool directory;
    };
    // Where `name` is, or where it would go: the first entry not less than it.
    size_t lower_bound(StringView name) const;

    Entry entries_[kMaxNames] = {};
    char text_[kTextBytes] = {};
    size_t count_ = 0;
    size_t used_ = 0;  // bytes of text_ taken
    size_t left_out_ = 0;
};

// Where Tab's names come from besides the shell's commands. Either may be null (none such).
struct NameSource {
    // Adds the programs whose names start with `prefix`: the regular files (or links to one) of
    // the directories the shell runs programs from.
    void (*programs)(StringView prefix, Candidates& out) = nullptr;
    // Adds the entries of `directory` (as typed: empty for the working directory, else ending
    // in '/') whose names start with `prefix`, "." and ".." left out.
    void (*directory)(StringView directory, StringView prefix, Candidates& out) = nullptr;
};

// The kernel's: the file system as the shell's programs see it (src/shell/file_names.cpp).
extern const NameSource kFileNames;

}  // namespace keel::shell
