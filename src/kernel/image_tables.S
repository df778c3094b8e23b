/* SPDX-License-Identifier: MIT */
/* The placeholder for the table the build writes into the image after linking, with
 * objcopy --update-section (same size, so nothing moves):
 *   .keel_symtab  function names for run-time backtraces (scripts/gen-symbols)
 * A table left zeroed means: no symbols (bare addresses). */
#include <keel/arch/riscv/memlayout.h>

    .section .keel_symtab, "a", @progbits
    .balign 8
    .space  KEEL_SYMTAB_SIZE
