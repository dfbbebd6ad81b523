package dev.godiag.cli;

import dev.godiag.util.BadInputException;

import java.util.List;
import java.util.Locale;

/**
 * Parses a command's arguments against its option table. Both GNU-style ({@code --name value},
 * {@code --name=value}) and Go's flag style ({@code -name value}, {@code -name=value}, one dash or
 * two) are accepted, options may follow operands, "--" ends options and "-" is an operand (stdin).
 */
final class ArgParser {
    private ArgParser() {
    }

    static ParsedArgs parse(String command, List<OptionSpec> specs, String[] args) {
        ParsedArgs parsed = new ParsedArgs(command);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                parsed.markSeparator();
                for (i++; i < args.length; i++) {
                    parsed.operand(args[i]);
                }
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                parsed.operand(a);
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String inline = eq < 0 ? null : body.substring(eq + 1);
            OptionSpec spec = find(specs, name);
            if (spec == null) {
                throw parsed.usage("unknown option '" + (eq < 0 ? a : a.substring(0, a.indexOf('='))) + "'");
            }
            if (spec.presetOf() != null) {
                if (inline == null || isTrue(inline)) {
                    parsed.put(spec.presetOf(), spec.presetValue(), false);
                }
                continue;
            }
            if (spec.isSwitch()) {
                String v = inline == null ? "true" : inline.toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false") && !v.equals("1") && !v.equals("0")) {
                    throw parsed.usage("--" + spec.name() + " takes no value (or =true/=false), not '" + inline + "'");
                }
                parsed.put(spec.name(), Boolean.toString(isTrue(v)), false);
                continue;
            }
            String value = inline;
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw parsed.usage("--" + spec.name() + " needs a value (" + spec.param() + ")");
                }
                value = args[++i];
            }
            parsed.put(spec.name(), value, spec.repeatable());
        }
        return parsed;
    }

    private static boolean isTrue(String v) {
        return v.equalsIgnoreCase("true") || v.equals("1");
    }

    private static OptionSpec find(List<OptionSpec> specs, String name) {
        for (OptionSpec s : specs) {
            if (s.matches(name)) {
                return s;
            }
        }
        return null;
    }

    /** The help text of a command, from its option table. */
    static String help(String usage, String description, List<OptionSpec> specs) {
        StringBuilder sb = new StringBuilder("Usage: ").append(usage).append("\n\n").append(wrap(description, 96))
                .append("\n\nOptions:\n");
        for (OptionSpec s : specs) {
            if (s.help() == null) {
                continue;
            }
            String left = "  --" + s.name() + (s.isSwitch() ? "" : " " + s.param());
            sb.append(left);
            sb.append(left.length() < 30 ? " ".repeat(30 - left.length()) : "\n" + " ".repeat(30));
            sb.append(s.help());
            if (!s.aliases().isEmpty()) {
                sb.append(" [pprof: -").append(String.join(", -", s.aliases())).append(']');
            }
            sb.append('\n');
        }
        List<String> presets = specs.stream().filter(s -> s.presetOf() != null)
                .map(s -> "-" + s.name() + " (--" + s.presetOf() + "=" + s.presetValue() + ")").toList();
        if (!presets.isEmpty()) {
            sb.append("\npprof's switches work too: ").append(String.join(", ", presets)).append('\n');
        }
        sb.append("  --help                      this help\n");
        return sb.toString();
    }

    /** Breaks text into lines of at most width characters at spaces. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > width) {
                out.append('\n');
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    static BadInputException noOperands(String command, String what) {
        return new BadInputException(command + ": no " + what + " given (see 'godiag " + command + " --help')");
    }
}
