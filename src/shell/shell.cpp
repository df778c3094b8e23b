// SPDX-License-Identifier: MIT
// The shell loop: bytes from the console's receive ring go through the line editor; each finished
// line is split into words and dispatched. The line being edited is kept on the screen while
// others print (console::keep_line). All state is static: nothing here allocates.
#include <keel/core/console.h>
#include <keel/shell/line_editor.h>
#include <keel/shell/shell.h>
#include <keel/shell/tokenizer.h>

namespace keel::shell {
namespace {

constexpr size_t kMaxCommands = 64;

constinit History g_history;
constinit Candidates g_candidates;
const char* g_names[kMaxCommands];

}  // namespace

Status execute(const Context& context, StringView line) {
    static Words words;  // the shell runs on one hart only
    const auto tokens = tokenize(line, words);
    if (!tokens.ok()) {
        console::print("keel: {}\n", tokenize_error_message(tokens.error()));
        return Status::kFailed;
    }
    if (words.count == 0) return Status::kOk;
    const Command* command = find_command(words.word[0]);
    if (command == nullptr && program_exists(words.word[0])) {
        return run_program(Args(words.word, words.count), 0);
    }
    if (command == nullptr) {
        console::print("keel: no such command: {} (try 'help')\n", words.word[0]);
        return Status::kFailed;
    }
    const Status status = command->run(context, Args(words.word, words.count));
    if (status == Status::kBadUsage) console::print("usage: {}\n", command->usage);
    return status;
}

namespace {

// Runs one line as a command. Ctrl-C typed meanwhile ends a long command; what was typed ahead
// of the Ctrl-C goes with it, as a terminal's interrupt does.
void run_line(const Context& context, StringView line) {
    console::begin_command();
    execute(context, line);
    console::end_command();
}

// Says so when typed bytes were lost, on a line of its own, and puts the prompt back.
void report_dropped(LineEditor& editor, FormatSink& out) {
    const uint64_t dropped = console::take_dropped();
    if (dropped == 0) return;
    console::print(
        "\r\x1b[Kkeel: {} typed byte{} dropped: input arrived faster than it was read "
        "(the console keeps {})\n",
        dropped, plural(dropped, " was", "s were"), console::kReceiveCapacity);
    editor.redraw(out);
}

// The echo of the keys so far goes out, and the line stays on the screen while others print.
void show(const LineEditor& editor) {
    char picture[LineEditor::kMaxDrawn];
    BufferSink sink(picture, sizeof picture);
    editor.draw(sink);
    console::keep_line(picture, sink.length());
}

}  // namespace

void run(const BootInfo& boot) {
    for (size_t i = 0; i < kCommandCount && i < kMaxCommands; ++i) g_names[i] = kCommands[i]->name;
    LineEditor editor(
        g_history, g_candidates,
        NameList{g_names, kCommandCount < kMaxCommands ? kCommandCount : kMaxCommands}, kFileNames);
    const Context context{boot};
    FormatSink& out = console::sink();
    console::keep_out_of_log();  // what the shell and its commands print is not the kernel's
    editor.start(out);
    for (;;) {
        const int byte = console::read_byte();
        if (byte < 0) {
            report_dropped(editor, out);
            show(editor);
            console::wait_for_input();
            continue;
        }
        const LineEditor::Event event = editor.feed(static_cast<uint8_t>(byte), out);
        if (event == LineEditor::Event::kLine) run_line(context, editor.line());
        if (event != LineEditor::Event::kNone) editor.start(out);
        show(editor);  // the echo of every key, at once
    }
}

}  // namespace keel::shell
