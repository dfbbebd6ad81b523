package dev.godiag.cli;

import dev.godiag.engine.MergeRequest;
import dev.godiag.engine.MergeResult;
import dev.godiag.engine.ProfileQuery;
import dev.godiag.format.pprof.ProtoProfileWriter;

import java.util.ArrayList;
import java.util.List;

/** godiag merge: many profiles into one profile.proto, as pprof merges them. */
final class MergeCommand implements Command {
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("output", "FILE", "where to write the merged profile ('-': standard output)", "o"),
                OptionSpec.flag("uncompressed", "write raw profile.proto instead of gzip"),
                OptionSpec.flag("pgo", "write a profile for Go's PGO (go build -pgo=FILE, default.pgo): CPU samples"
                        + " only, no labels; fails if Go would reject it (no CPU sample type, no Function.start_line)"),
                OptionSpec.value("pgo-keep", "PCT", "with --pgo: keep only the hottest call edges (the compiler's"
                        + " caller/call site/callee weights) holding PCT% of the total edge weight, each with its"
                        + " weight, as two-frame samples (default 100: all stacks as they are)")));
        o.addAll(ProfileOptions.SPECS);
        OPTIONS = List.copyOf(o);
    }

    @Override
    public String name() {
        return "merge";
    }

    @Override
    public String summary() {
        return "merge profiles (files, globs, URLs) into one profile.proto, as pprof merges them";
    }

    @Override
    public String usage() {
        return "godiag merge -o OUT.pb.gz [OPTIONS] PROFILE...";
    }

    @Override
    public String description() {
        return """
                Merges profiles into one profile.proto, as 'go tool pprof -proto A B...' does: sample \
                types reduced to the ones all have, units scaled to the finest, durations added, equal \
                stacks summed. PROFILE is a file, a glob ('cpu-*.pprof'), '-' or an http(s) URL. The \
                filters (--focus, --ignore, --tagfocus...) and --base/--diff-base apply as in pprof. \
                The output is written whole or not at all. With --pgo it is ready for Go's \
                profile-guided optimization (default.pgo): CPU samples only (samples/count, \
                cpu/nanoseconds), no labels; Go's compiler reads it as a weighted call-edge map \
                (caller, call-site line offset, callee), which 'go tool preprofile' prints. \
                --pgo-keep PCT keeps only the heaviest call edges holding PCT% of the total edge \
                weight, written as one two-frame sample per edge with its original weight.""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a, Terminal term) {
        String output = a.string("output", null);
        if (output == null || output.isEmpty()) {
            throw a.usage("--output (-o) is required");
        }
        ProfileQuery query = ProfileOptions.query(a, name(), term);
        if (a.has("pgo-keep") && !a.flag("pgo")) {
            throw a.usage("--pgo-keep needs --pgo");
        }
        double keep = a.decimal("pgo-keep", 100);
        if (!(keep > 0 && keep <= 100)) {
            throw a.usage("--pgo-keep must be a percentage above 0 and at most 100, not " + a.string("pgo-keep", ""));
        }
        MergeResult result = InputOptions.engine(a, term).merge(new MergeRequest(query, a.flag("pgo"), keep));
        result.warnings().forEach(term::warn);
        boolean raw = a.flag("uncompressed");
        Output.write(term, output, os -> {
            if (raw) {
                ProtoProfileWriter.writeUncompressed(result.profile(), os);
            } else {
                ProtoProfileWriter.write(result.profile(), os);
            }
        });
        return Main.OK;
    }
}
