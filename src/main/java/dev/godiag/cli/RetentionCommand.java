package dev.godiag.cli;

import dev.godiag.analysis.retention.RetentionReport;
import dev.godiag.engine.RetentionRequest;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.report.RetentionRenderers;

import java.nio.file.Path;
import java.util.List;

/** godiag retention: what each root of a Go heap dump retains, as findings and a pprof profile. */
final class RetentionCommand implements Command {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("binary", "BIN", "the program's executable, with its symbol table (required):"
                    + " names the global roots and must be the binary that wrote the dump"),
            OptionSpec.value("output", "FILE", "write the retention profile (pprof, gzipped) to FILE", "o"),
            OptionSpec.value("format", "FMT", "the findings on standard output: text (default) or json"),
            OptionSpec.value("top", "N", "show the N roots retaining most (default 20)"));

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public String summary() {
        return "what each root of a heap dump (debug.WriteHeapDump) retains, as findings and a pprof profile";
    }

    @Override
    public String usage() {
        return "godiag retention DUMP --binary BIN [-o retained.pprof] [--format text|json]";
    }

    @Override
    public String description() {
        return """
                Reads a heap dump written by runtime/debug.WriteHeapDump (Go 1.19 to 1.27), builds its \
                object graph from the roots (globals of the data and bss segments, named from the \
                binary's symbol table; goroutine stack frames; finalizers) and computes the dominator \
                tree: a root retains what would be freed if its references went away. Prints the roots \
                retaining most; -o writes a pprof profile (retained_space, retained_objects) whose \
                stacks are the root, then the objects on the dominator path, each named by the field \
                step from the object above and its Go type when the binary's DWARF types it \
                (".data [...]uint8"), else by its allocation site when the dump has it (else \
                "(allocation site unknown)"), with the byte offset at which the object above points \
                at it, plus one, as its line (top --lines), so top, flame and diff read it. The dump is streamed: memory grows with its objects \
                and pointers, not its bytes. A dump written by another binary is refused.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        List<String> operands = a.operands();
        if (operands.isEmpty()) {
            throw ArgParser.noOperands(name(), "heap dump");
        }
        if (operands.size() > 1) {
            throw a.usage("one heap dump at a time, not " + operands.size());
        }
        String binary = a.string("binary", null);
        if (binary == null || binary.isEmpty()) {
            throw a.usage("--binary is required: the executable that wrote the dump");
        }
        String fmt = a.string("format", "text");
        if (!fmt.equals("text") && !fmt.equals("json")) {
            throw a.usage("--format must be text or json, not " + fmt);
        }
        int top = a.integer("top", 20);
        if (top <= 0) {
            throw a.usage("--top must be positive");
        }
        String output = a.string("output", null);
        boolean writeProfile = output != null && !output.isEmpty();
        RetentionReport r = EngineCalls.run(term, () -> InputOptions.engine(a, term)
                .retention(new RetentionRequest(Path.of(operands.get(0)), Path.of(binary), writeProfile)));
        if (writeProfile) {
            Output.write(term, output, os -> ProtoProfileWriter.write(r.profile(), os));
        }
        String text = fmt.equals("json") ? RetentionRenderers.json(r, top, Main.version())
                : RetentionRenderers.text(r, top);
        term.out().print(text);
        term.out().flush();
        return Main.OK;
    }
}
