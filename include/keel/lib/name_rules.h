// SPDX-License-Identifier: MIT
// The answers Linux's VFS gives the calls that open, make, remove and rename names, decided from
// what the path walk found (lib/path_walk.h) before anything changes: which of EEXIST, ENOENT,
// ENOTDIR, EISDIR, EBUSY, ENOTEMPTY, EINVAL, EXDEV, EPERM or ELOOP, or none. The kernel's namei
// asks these; the host tests hold them against Linux's answers (tests/host/name_rules_test.cpp).
// Portable: no file system, only facts about one or two names.
#pragma once
#include <keel/lib/string_view.h>
#include <stdint.h>

namespace keel::names {

enum class Type : uint8_t { kNone, kDirectory, kRegular, kSymlink, kOther };

// Linux's errno values these rules answer with; 0 (kOk) lets the call go on.
enum Error : int {
    kOk = 0,
    kEperm = 1,
    kEnoent = 2,
    kEbusy = 16,
    kEexist = 17,
    kExdev = 18,
    kEnotdir = 20,
    kEisdir = 21,
    kEinval = 22,
    kEnotempty = 39,
    kEloop = 40,
};

// One walked name (a parent walk's last name, or an open's).
struct Found {
    StringView last;              // as walked: "" (the path "/"), "." and ".." name no entry
    bool trailing_slash = false;  // the path went on with '/' after it
    Type type = Type::kNone;      // what is there; kNone: nothing
    bool busy = false;            // a mount point, or the root
    bool has_entries = false;     // a directory that holds names
    bool parent_removed = false;  // its directory was removed: it takes no new names
    bool fixed = false;  // its directory neither makes nor removes names (/proc): a lookup of a
                         // missing one is ENOENT, a removal or rename EPERM
};

// How an existing file is opened (openat's flags, as facts).
struct OpenHow {
    bool path_only = false;  // O_PATH
    bool directory = false;  // O_DIRECTORY
    bool create = false;     // O_CREAT
    bool writes = false;     // O_WRONLY or O_RDWR
};

// openat of the existing `type` (a symlink: O_NOFOLLOW met one).
int open_existing(Type type, const OpenHow& how);
// openat's O_CREAT of a name that is not there.
int create_file(const Found& at);
// mkdir, mknod, symlink, and link's new name: a new name of `type` at `at`.
int make(const Found& at, Type type);
// unlink (directory false) and rmdir (true).
int remove(const Found& at, bool directory);
// link's existing name: what may get a second name.
int link_source(Type type);

struct RenameHow {
    bool same_file_system = true;
    bool into_itself = false;   // a directory moved below itself
    bool no_replace = false;    // RENAME_NOREPLACE
    bool exchange = false;      // RENAME_EXCHANGE
    bool holds_source = false;  // `to` is a directory `from` lies below
    bool same_file = false;     // both name one file: once the names pass, nothing to do
};
// renameat2 of `from` to `to`. An exchange needs both names there, and neither may lie below the
// other; their types may differ. `same_file_system`: the two parents' (Linux: their mounts').
int rename(const Found& from, const Found& to, const RenameHow& how);

}  // namespace keel::names
