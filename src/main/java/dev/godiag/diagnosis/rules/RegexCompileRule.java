package dev.godiag.diagnosis.rules;

import dev.godiag.diagnosis.Threshold;

import java.util.function.Predicate;

/** code.regex-compile: regular expressions compiled on a hot path (regexp.Compile/MustCompile, regexp/syntax). */
public final class RegexCompileRule extends ShareRule {
    static final Threshold SHARE = new Threshold("compileShare", "fraction", 0.02, 0.05, 0.15,
            "share of the CPU samples or of the allocated bytes under regexp.Compile/MustCompile/compile or regexp/syntax.Parse/Compile (2%/5%/15%: compiling belongs at package init, where it costs nothing per request)");

    public RegexCompileRule() {
        super("code.regex-compile", "code", "regular expressions compiled on a hot path (regexp.Compile/MustCompile, regexp/syntax)", SHARE, Source.CPU, Source.ALLOCS);
    }

    @Override
    Predicate<String> match() {
        return StackMatch.names("regexp.Compile", "regexp.MustCompile", "regexp.CompilePOSIX", "regexp.MustCompilePOSIX", "regexp.compile", "regexp/syntax.Parse", "regexp/syntax.Compile");
    }

    @Override
    Predicate<String> exclude() {
        return null;
    }

    @Override
    String what() {
        return "regexp compiled on every call";
    }

    @Override
    String explanation() {
        return "regexp.MustCompile/Compile parses the pattern (regexp/syntax.Parse), compiles it to a program and builds the one-pass matcher each time it is called: microseconds of CPU and kilobytes of garbage per call. Called inside a request handler or a loop, that is paid on every call although the pattern never changes.";
    }

    @Override
    String fix() {
        return "Compile the pattern once, at package level (var re = regexp.MustCompile(...)) or with sync.OnceValue for patterns built at run time, and reuse the *regexp.Regexp: it is safe for concurrent use. For patterns that depend on input, cache the compiled ones in a map.";
    }

    @Override
    String[] example() {
        return new String[] {"func validate(s string) bool {\n    re := regexp.MustCompile(`^[a-z]+-[0-9]+$`)\n    return re.MatchString(s)\n}", "var validID = regexp.MustCompile(`^[a-z]+-[0-9]+$`)\n\nfunc validate(s string) bool {\n    return validID.MatchString(s)\n}"};
    }
}
