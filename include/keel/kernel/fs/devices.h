// SPDX-License-Identifier: MIT
// Character devices, by Linux's numbers (Documentation/admin-guide/devices.txt): the memory
// devices null (1:3), zero (1:5), full (1:7), random (1:8), urandom (1:9), and the console (5:1),
// keel's one terminal, which /dev/tty (5:0) also names, and the real-time clock rtc0 (250:0, the
// major Linux's rtc class is given on QEMU virt) where the machine has one. /dev holds a node for
// each, and /dev/rtc -> rtc0 as udev makes it.
#pragma once
#include <keel/kernel/fs/file.h>

namespace keel::fs {

// What reading and writing a device file does; nullptr for a device keel does not have (ENXIO).
const FileOps* device_ops(uint64_t rdev);
// /dev and its nodes under `root`, where missing; /dev/console's inode is held from then on.
void make_device_nodes(Inode& root);
// /dev/rtc0's ioctls (rtc_device.cpp).
const FileOps& rtc_ops();
inline constexpr uint32_t kRtcMajor = 250;
// An open file of the console (O_RDWR), for a process the shell starts: its fds 0, 1 and 2
// (the inode boot made, even if /dev/console has gone since); nullptr without one or memory.
File* open_console();

}  // namespace keel::fs
