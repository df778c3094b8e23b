// SPDX-License-Identifier: MIT
// The VFS's answers (include/keel/lib/name_rules.h), in the order Linux checks them.
#include <keel/lib/name_rules.h>

namespace keel::names {
namespace {

bool is_dot(StringView name) {
    return name.size == 1 && name.data[0] == '.';
}
bool is_dot_dot(StringView name) {
    return name.size == 2 && name.data[0] == '.' && name.data[1] == '.';
}
// A name that is no entry of its own: "", "." or "..".
bool is_special(StringView name) {
    return name.empty() || is_dot(name) || is_dot_dot(name);
}

}  // namespace

int open_existing(Type type, const OpenHow& how) {
    if (how.path_only) return how.directory && type != Type::kDirectory ? kEnotdir : kOk;
    if (type == Type::kSymlink) return kEloop;
    if (how.directory && type != Type::kDirectory) return kEnotdir;
    if (type == Type::kDirectory && (how.writes || how.create)) return kEisdir;
    return kOk;
}

int create_file(const Found& at) {
    if (at.trailing_slash) return kEisdir;
    return at.parent_removed || at.fixed ? kEnoent : kOk;
}

int make(const Found& at, Type type) {
    if (is_special(at.last)) return kEexist;
    if (at.fixed && at.type == Type::kNone) return kEnoent;
    if (at.type != Type::kNone) return kEexist;
    if (at.trailing_slash && type != Type::kDirectory) return kEnoent;
    return at.parent_removed ? kEnoent : kOk;
}

int remove(const Found& at, bool directory) {
    if (directory) {
        if (at.last.empty()) return kEbusy;  // "/"
        if (is_dot(at.last)) return kEinval;
        if (is_dot_dot(at.last)) return kEnotempty;
        if (at.type == Type::kNone) return kEnoent;
        if (at.type != Type::kDirectory) return kEnotdir;
        if (at.fixed) return kEperm;
        if (at.busy) return kEbusy;
        return at.has_entries ? kEnotempty : kOk;
    }
    if (is_special(at.last)) return kEisdir;  // "/", "." and "..": directories all
    if (at.type == Type::kNone) return kEnoent;
    if (at.type == Type::kDirectory) return kEisdir;
    if (at.trailing_slash) return kEnotdir;  // "file/" names no directory
    return at.fixed ? kEperm : kOk;
}

int link_source(Type type) {
    if (type == Type::kNone) return kEnoent;
    return type == Type::kDirectory ? kEperm : kOk;
}

namespace {

// What do_renameat2 checks on the two walked names, before it looks at the files themselves.
int rename_names(const Found& from, const Found& to, const RenameHow& how) {
    if (!how.same_file_system) return kExdev;
    if (is_special(from.last)) return kEbusy;
    if (is_special(to.last)) return how.no_replace ? kEexist : kEbusy;
    // (The new name's lookup fails in /proc, and in a directory that was removed.)
    if (from.type == Type::kNone || to.parent_removed || (to.fixed && to.type == Type::kNone))
        return kEnoent;
    if (how.no_replace && to.type != Type::kNone) return kEexist;
    if (how.exchange && to.type == Type::kNone) return kEnoent;
    if (how.exchange && to.type != Type::kDirectory && to.trailing_slash) return kEnotdir;
    if (from.type != Type::kDirectory &&
        (from.trailing_slash || (!how.exchange && to.trailing_slash)))
        return kEnotdir;  // a trailing slash names a directory
    if (from.type == Type::kDirectory && how.into_itself) return kEinval;
    if (how.holds_source) return how.exchange ? kEinval : kEnotempty;
    return kOk;
}

}  // namespace

int rename(const Found& from, const Found& to, const RenameHow& how) {
    if (const int error = rename_names(from, to, how); error != kOk) return error;
    if (how.same_file) return kOk;  // vfs_rename's first answer: nothing to do
    if (to.type == Type::kNone) return from.busy ? kEbusy : kOk;
    const bool directory = from.type == Type::kDirectory;
    if (!how.exchange && directory && to.type != Type::kDirectory) return kEnotdir;
    if (!how.exchange && !directory && to.type == Type::kDirectory) return kEisdir;
    if (from.fixed) return kEperm;  // a file system that renames nothing
    if (from.busy || to.busy) return kEbusy;
    if (how.exchange) return kOk;
    return to.type == Type::kDirectory && to.has_entries ? kEnotempty : kOk;
}

}  // namespace keel::names
