package dev.godiag.cli;

import dev.godiag.analysis.PgoProfile;
import dev.godiag.format.pprof.ProtoProfileWriter;
import dev.godiag.model.Profile;

import java.util.ArrayList;
import java.util.List;

/** godiag merge: many profiles into one profile.proto, as pprof merges them. */
final class MergeCommand implements Command {
    private static final List<OptionSpec> OPTIONS;

    static {
        List<OptionSpec> o = new ArrayList<>(List.of(
                OptionSpec.value("output", "FILE", "where to write the merged profile ('-': standard output)", "o"),
                OptionSpec.flag("uncompressed", "write raw profile.proto instead of gzip"),
                OptionSpec.flag("pgo", "write a profile for Go's PGO (go build -pgo=FILE): CPU samples only, no labels"),
                OptionSpec.value("pgo-keep", "PCT", "with --pgo: keep only the hottest stacks holding PCT% of the CPU"
                        + " time (default 100)")));
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
                The output is written whole or not at all. With --pgo it is ready for Go's                 profile-guided optimization (default.pgo): CPU samples only, no labels, optionally just                 the hottest stacks (--pgo-keep).""";
    }

    @Override
    public List<OptionSpec> options() {
        return OPTIONS;
    }

    @Override
    public int run(ParsedArgs a) {
        String output = a.string("output", null);
        if (output == null || output.isEmpty()) {
            throw a.usage("--output (-o) is required");
        }
        ProfileOptions profile = new ProfileOptions(a, name());
        List<String> warnings = new ArrayList<>();
        if (a.has("pgo-keep") && !a.flag("pgo")) {
            throw a.usage("--pgo-keep needs --pgo");
        }
        Profile all = profile.filters().apply(profile.load(), warnings);
        double keep = a.decimal("pgo-keep", 100);
        Profile merged = a.flag("pgo") ? profile.about(() -> PgoProfile.prepare(all, keep)) : all;
        warnings.forEach(Main::warn);
        boolean raw = a.flag("uncompressed");
        Output.write(output, os -> {
            if (raw) {
                ProtoProfileWriter.writeUncompressed(merged, os);
            } else {
                ProtoProfileWriter.write(merged, os);
            }
        });
        return Main.OK;
    }
}
