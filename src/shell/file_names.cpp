// SPDX-License-Identifier: MIT
// Tab's names from the file system (shell/completion.h): the programs in PATH's directories and a
// directory's entries, as the shell's programs see them (from /). A symbolic link counts as what
// it leads to: a link to a program is a program, a link to a directory a directory.
#include <keel/abi/dirent.h>
#include <keel/kernel/fs/inode.h>
#include <keel/kernel/fs/vfs.h>
#include <keel/kernel/process.h>
#include <keel/shell/completion.h>

namespace keel::shell {
namespace {

// Adds a directory's entries that start with `prefix` (the programs only, if asked).
class Gatherer final : public fs::DirectorySink {
public:
    Gatherer(StringView directory, StringView prefix, bool programs_only, Candidates& out)
        : directory_(directory), prefix_(prefix), programs_only_(programs_only), out_(out) {}

    bool entry(StringView name, uint64_t, uint8_t type, uint64_t) override {
        if (!name.starts_with(prefix_) || equals(name, ".") || equals(name, "..")) return true;
        bool directory = type == DT_DIR;
        bool regular = type == DT_REG;
        if (type == DT_LNK) {
            char path[512];
            const size_t length = format_to(path, sizeof path, "{}{}", directory_, name);
            const auto target =
                fs::walk_path(process::first_context(), StringView{path, length}, true);
            directory = target.ok() && target.value()->is_directory();
            regular = target.ok() && target.value()->is_regular();
        }
        if (!programs_only_ || regular) out_.add(name, directory);
        return true;
    }

private:
    StringView directory_;
    StringView prefix_;
    bool programs_only_;
    Candidates& out_;
};

// With the file system lock held.
void gather(StringView directory, StringView prefix, bool programs_only, Candidates& out) {
    const StringView path = directory.empty() ? StringView{".", 1} : directory;
    const auto found = fs::walk_path(process::first_context(), path, true);
    if (!found.ok() || !found.value()->is_directory()) return;
    Gatherer sink(directory, prefix, programs_only, out);
    uint64_t position = 0;
    (void)found.value()->list(position, sink);
}

// No root file system (the shell runs outside any task): no names.
bool have_files() {
    return process::first_context().root != nullptr;
}

void programs(StringView prefix, Candidates& out) {
    if (!have_files()) return;
    fs::FsLock guard;
    for (const char* directory : process::kProgramDirectories)
        gather(StringView::of(directory), prefix, true, out);
}

void directory_entries(StringView directory, StringView prefix, Candidates& out) {
    if (!have_files()) return;
    fs::FsLock guard;
    gather(directory, prefix, false, out);
}

}  // namespace

const NameSource kFileNames{&programs, &directory_entries};

}  // namespace keel::shell
