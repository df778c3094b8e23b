/* SPDX-License-Identifier: MIT */
/* Placeholders for the two tables the build writes into the image after linking, with
 * objcopy --update-section (same size, so nothing moves):
 *   .keel_symtab  function names for run-time backtraces (scripts/gen-symbols)
 *   .keel_relocs  the words that hold absolute addresses, for boot.S to relocate (scripts/gen-relocs)
 * A table left zeroed means: no symbols (bare addresses), nothing to relocate. */
#include <keel/arch/riscv/memlayout.h>

    .section .keel_symtab, "a", @progbits
    .balign 8
    .space  KEEL_SYMTAB_SIZE

    .section .keel_relocs, "a", @progbits
    .balign 8
    .space  KEEL_RELOCS_SIZE
