// panic: the last words of a hart. Prints the message and where it came from, then halts.
#include <keel/kernel/console.h>
#include <keel/kernel/panic.h>

namespace keel {

void halt() {
    // sstatus.SIE = 0 (privileged spec §4.1.1): no interrupt handler runs on this hart again.
    asm volatile("csrci sstatus, 2");
    for (;;) asm volatile("wfi");
}

void panic_with(const char* file, int line, const char* format, const FormatArg* args, size_t count) {
    console::print("\nPANIC: ");
    vformat(console::sink(), format, args, count);
    console::print("\n  at {}:{}\n", file, line);
    halt();
}

}  // namespace keel
