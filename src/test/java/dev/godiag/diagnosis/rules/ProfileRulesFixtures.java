package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.DiagnosisInput;
import dev.godiag.diagnosis.DiagnosisInput.Kind;
import dev.godiag.diagnosis.Diagnoser;
import dev.godiag.diagnosis.Finding;
import dev.godiag.diagnosis.Rule;
import dev.godiag.diagnosis.RuleConfig;
import dev.godiag.format.InputSource;
import dev.godiag.format.ProfileLoader;
import dev.godiag.model.Profile;
import dev.godiag.testutil.Corpus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Corpus inputs for the profile rules' tests. */
final class ProfileRulesFixtures {
    private ProfileRulesFixtures() {
    }

    static Path file(String version, String program, String name) {
        return Corpus.file(version + "/" + program + "/" + name);
    }

    static Profile load(Path p) {
        return ProfileLoader.load(p.toString(), InputSource.FetchOptions.DEFAULT, 1L << 30);
    }

    /** The CPU, allocs, block and mutex profiles of one corpus program. */
    static DiagnosisInput input(String version, String program) {
        DiagnosisInput in = new DiagnosisInput();
        for (Map.Entry<String, Kind> e : Map.of("cpu.pprof", Kind.CPU_PROFILE, "allocs.pprof", Kind.ALLOCS_PROFILE,
                "block.pprof", Kind.BLOCK_PROFILE, "mutex.pprof", Kind.MUTEX_PROFILE).entrySet()) {
            in.addProfile(e.getKey(), e.getValue(), load(file(version, program, e.getKey())));
        }
        return in;
    }

    static DiagnosisInput only(String version, String program, String name, Kind kind) {
        DiagnosisInput in = new DiagnosisInput();
        in.addProfile(name, kind, load(file(version, program, name)));
        return in;
    }

    static List<Finding> run(Rule rule, DiagnosisInput in) {
        return new Diagnoser(List.of(rule)).run(in, RuleConfig.DEFAULT);
    }

    static List<Finding> runAll(DiagnosisInput in) {
        return Diagnoser.withRegisteredRules().run(in, RuleConfig.DEFAULT);
    }
}
