// SPDX-License-Identifier: MIT
// sbi: what the firmware is: SBI spec version, implementation and version, machine ids, and
// which extensions it has (SBI v2.0 §4 Base).
#include <keel/arch/riscv/sbi.h>
#include <keel/core/console.h>
#include <keel/shell/command.h>

namespace keel::shell {
namespace {

using sbi::Extension;

// Every standard extension but Base, which every SBI since v0.2 has.
void print_extensions(bool present) {
    for (Extension extension : sbi::kStandardExtensions) {
        if (extension == Extension::kBase) continue;
        if (sbi::has(extension) == present) console::print(" {}", sbi::extension_name(extension));
    }
    console::print("\n");
}

Status sbi_command(const Context&, const Args& args) {
    if (args.count() != 1) return Status::kBadUsage;
    const auto spec = sbi::base::decode_spec_version(sbi::base::get_spec_version().value());
    const long id = sbi::base::get_impl_id().value();
    const long raw_version = sbi::base::get_impl_version().value();
    console::print("SBI specification {}.{}\n", spec.major, spec.minor);
    console::print("implementation: {} (id {}), version ",
                   sbi::base::implementation_name(static_cast<sbi::base::Implementation>(id)), id);
    if (id == static_cast<long>(sbi::base::Implementation::kOpenSbi)) {
        const auto version = sbi::base::decode_opensbi_version(raw_version);
        console::print("{}.{}\n", version.major, version.minor);
    } else {
        console::print("{:#x}\n", raw_version);
    }
    console::print("machine: mvendorid {:#x}, marchid {:#x}, mimpid {:#x}\n",
                   sbi::base::get_mvendorid().value(), sbi::base::get_marchid().value(),
                   sbi::base::get_mimpid().value());
    console::print("extensions present:");
    print_extensions(true);
    console::print("extensions absent: ");
    print_extensions(false);
    return Status::kOk;
}

}  // namespace

extern const Command kSbiCommand{"sbi", "the SBI firmware: versions and extensions", "sbi",
                                 sbi_command};

}  // namespace keel::shell
