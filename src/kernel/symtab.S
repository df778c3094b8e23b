/* The placeholder for keel's run-time symbol table: KEEL_SYMTAB_SIZE zero bytes that the build
 * overwrites after linking (scripts/gen-symbols, objcopy --update-section). Until then, or if it
 * fails validation, backtraces print bare addresses. */
#include <keel/arch/riscv/memlayout.h>

    .section .keel_symtab, "a", @progbits
    .balign 8
    .space  KEEL_SYMTAB_SIZE
