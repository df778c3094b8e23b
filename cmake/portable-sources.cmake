# SPDX-License-Identifier: MIT
# The portable core: plain C++ with no register access. The kernel links these files, and
# tests/host compiles the very same ones for the host under sanitizers. Paths are relative to the
# repository root.
set(KEEL_PORTABLE_SOURCES
    src/arch/riscv/sbi_names.cpp
    src/arch/riscv/trap_cause.cpp
    src/kernel/boot_info.cpp
    src/lib/abi_names.cpp
    src/lib/civil_time.cpp
    src/lib/cmdline.cpp
    src/lib/cpio.cpp
    src/lib/elf.cpp
    src/lib/fdt.cpp
    src/lib/fdt_lookup.cpp
    src/lib/fdt_property.cpp
    src/lib/format.cpp
    src/lib/line_discipline.cpp
    src/lib/loadavg.cpp
    src/lib/line_discipline_input.cpp
    src/lib/name_rules.cpp
    src/lib/number.cpp
    src/lib/path_walk.cpp
    src/lib/riscv_isa.cpp
    src/lib/signal_frame.cpp
    src/lib/signals.cpp
    src/lib/string.cpp
    src/lib/string_view.cpp
    src/lib/symbols.cpp
    src/lib/tmpfs_options.cpp
    src/lib/tas_lock.cpp
    src/lib/unpack.cpp
    src/lib/ticket_lock.cpp
    src/mm/block_check.cpp
    src/mm/file_pages.cpp
    src/mm/linear_allocator.cpp
    src/mm/page_allocator.cpp
    src/mm/page_index.cpp
    src/mm/page_table.cpp
    src/mm/page_table_user.cpp
    src/mm/phys_map.cpp
    src/mm/regions.cpp
    src/mm/slab.cpp
    src/shell/completion.cpp
    src/shell/history.cpp
    src/shell/line_editor.cpp
    src/shell/tokenizer.cpp
)
