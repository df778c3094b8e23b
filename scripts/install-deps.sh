#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything keel needs to build, run, test and debug on Debian or Ubuntu (apt-get), then
# fetches Debian's riscv64 busybox-static for the initramfs (scripts/fetch-debian-packages, into a
# cache outside the tree). Idempotent: packages already present are left alone and a ready machine
# does nothing.
# Runs as root, or through sudo when not root. Elsewhere it names the equivalent packages and fails.
set -euo pipefail

# One list, grouped by what needs it.
apt_packages=(
    # cross toolchains: the default bare-metal GCC, the Linux-ABI GCC, and Clang + lld
    gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
    g++-riscv64-linux-gnu
    clang lld llvm
    # the style (pinned: another version formats some constructs differently) and the linter
    clang-format-14 clang-tidy-14
    # build and host tests
    cmake make g++ python3 googletest libgtest-dev libbenchmark-dev
    # libFuzzer (clang only recommends its runtime; this brings libclang-rt-14-dev on Debian 12)
    libclang-rt-dev
    # running and debugging
    qemu-system-misc opensbi u-boot-qemu gdb-multiarch device-tree-compiler
    # docs/pictures (make docs, and the docs.pictures test): Graphviz's dot
    graphviz
    # user programs: the initramfs archiver, and qemu-user to see what a Linux program calls
    cpio qemu-user
    # fetching Debian riscv64 packages (busybox-static) with a private apt configuration
    debian-archive-keyring dpkg
)
# Debian trixie riscv64 packages the initramfs takes, fetched into the user's cache (not with apt).
riscv64_packages=(busybox-static)

missing_packages() {
    local pkg
    for pkg in "${apt_packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            echo "$pkg"
        fi
    done
}

print_other_systems() {
    cat >&2 <<'EOF'
install-deps.sh: this system has no apt-get; keel's scripts install with apt only.
Install the equivalents yourself, then run make again:
  Fedora:   sudo dnf install gcc-riscv64-linux-gnu gcc-c++-riscv64-linux-gnu binutils-riscv64-linux-gnu \
              clang lld llvm cmake make gcc-c++ python3 gtest-devel google-benchmark-devel qemu-system-riscv \
              gdb dtc graphviz        (then make TOOLCHAIN=linux-gnu or TOOLCHAIN=clang)
  Arch:     sudo pacman -S riscv64-elf-gcc riscv64-elf-binutils clang lld llvm cmake make gcc python \
              gtest benchmark qemu-system-riscv qemu-system-riscv-firmware gdb dtc graphviz
  Homebrew: brew tap riscv-software-src/riscv && brew install riscv-tools llvm lld cmake python \
              googletest google-benchmark qemu dtc riscv64-elf-gdb graphviz
  U-Boot for the booti test: build U-Boot's qemu-riscv64_smode_defconfig where no package has it.
  busybox for the initramfs (make test wants it): unpack Debian trixie's riscv64 busybox-static
              .deb so that its usr/bin/busybox is in ${KEEL_CACHE:-~/.cache/keel}/debian-riscv64/busybox-static/
EOF
}

# Installs the missing apt packages; nothing when every one is there.
install_apt_packages() {
    local missing
    missing=$(missing_packages | tr '\n' ' ')
    if [ -z "${missing// /}" ]; then
        echo "install-deps.sh: all apt packages keel needs are installed"
        return 0
    fi

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install-deps.sh: missing packages ($missing) and not root; run as root or install sudo" >&2
            exit 1
        fi
        sudo=(sudo)
    fi

    echo "install-deps.sh: installing $missing"
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    if ! "${sudo[@]}" apt-get install -y --no-install-recommends $missing; then
        # A fresh machine or container often has no package lists yet.
        "${sudo[@]}" apt-get update
        # shellcheck disable=SC2086
        "${sudo[@]}" apt-get install -y --no-install-recommends $missing
    fi

    missing=$(missing_packages | tr '\n' ' ')
    if [ -n "${missing// /}" ]; then
        echo "install-deps.sh: still missing after apt-get: $missing" >&2
        exit 1
    fi
    echo "install-deps.sh: apt packages done"
}

main() {
    if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
        print_other_systems
        exit 1
    fi
    install_apt_packages
    # As the user who runs this (not through sudo): the cache lives in that user's home. It leaves
    # a package already fetched alone, and says so.
    "$(dirname "${BASH_SOURCE[0]}")/fetch-debian-packages" "${riscv64_packages[@]}"
}

main "$@"
