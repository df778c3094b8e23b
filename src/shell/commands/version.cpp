// SPDX-License-Identifier: MIT
// version: keel's version, the git commit it was built from, the compiler and the build type.
#include <keel/core/console.h>
#include <keel/kernel/version.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

Status version_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    console::print("keel {} (git {}), built with {}, {} build\n", KEEL_VERSION, KEEL_GIT_HASH,
                   KEEL_COMPILER, KEEL_BUILD_TYPE);
    return Status::kOk;
}

}  // namespace

extern const Command kVersionCommand{"version", "keel's version, git commit, compiler, build type",
                                     "version", version_command};

}  // namespace keel::shell
