package dev.godiag.cli;

import java.util.List;

/**
 * One command-line option: its name (used as {@code --name}), the value it takes (null for a
 * switch), and the spellings pprof uses for it, so pprof command lines copy over unchanged.
 * A preset is a pprof switch that stands for a value of another option ({@code -lines} is
 * {@code --granularity=lines}).
 *
 * @param name     the godiag name, e.g. "sample-index"
 * @param param    the value's placeholder in help ("REGEX"), or null for a switch
 * @param repeatable whether the option may be given several times and collects a list
 * @param help     one line of help
 * @param aliases  other accepted names, e.g. pprof's "sample_index"
 * @param presetOf for a preset: the option it sets; null otherwise
 * @param presetValue for a preset: the value it sets
 */
record OptionSpec(String name, String param, boolean repeatable, String help, List<String> aliases,
                  String presetOf, String presetValue) {

    static OptionSpec flag(String name, String help, String... aliases) {
        return new OptionSpec(name, null, false, help, List.of(aliases), null, null);
    }

    static OptionSpec value(String name, String param, String help, String... aliases) {
        return new OptionSpec(name, param, false, help, List.of(aliases), null, null);
    }

    static OptionSpec list(String name, String param, String help, String... aliases) {
        return new OptionSpec(name, param, true, help, List.of(aliases), null, null);
    }

    /** A switch that sets another option, e.g. pprof's -lines for --granularity=lines. */
    static OptionSpec preset(String name, String option, String value) {
        return new OptionSpec(name, null, false, null, List.of(), option, value);
    }

    boolean isSwitch() {
        return param == null;
    }

    boolean matches(String n) {
        return name.equals(n) || aliases.contains(n);
    }
}
