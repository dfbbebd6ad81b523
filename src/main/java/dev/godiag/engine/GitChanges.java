package dev.godiag.engine;

import dev.godiag.util.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines changed since a revision, as {@code git diff REV} sees them (the working tree against
 * REV), by file relative to a directory: what {@code scan --diff} keeps findings to.
 */
final class GitChanges {
    private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");
    private static final long TIMEOUT_SECONDS = 120;

    private final Map<String, List<int[]>> added;

    private GitChanges(Map<String, List<int[]>> added) {
        this.added = added;
    }

    /** True when line {@code line} of {@code file} (relative to the directory, '/'-separated) changed. */
    boolean changed(String file, int line) {
        List<int[]> ranges = added.get(file);
        if (ranges == null) {
            return false;
        }
        for (int[] r : ranges) {
            if (line >= r[0] && line <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** True when the file has changed lines. */
    boolean touched(String file) {
        return added.containsKey(file);
    }

    /** True when a file directly in {@code dir} ("." for the top) has changed lines. */
    boolean touchesDirectory(String dir) {
        for (String f : added.keySet()) {
            int slash = f.lastIndexOf('/');
            if ((slash < 0 ? "." : f.substring(0, slash)).equals(dir)) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code git diff --unified=0 REV} in {@code dir}, paths relative to it. */
    static GitChanges since(Path dir, String rev) {
        if (rev.startsWith("-")) {
            throw new BadInputException("--diff " + rev + ": not a revision");
        }
        List<String> command = List.of("git", "-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff",
                "--unified=0", "--relative", "--diff-filter=AMRC", rev, "--", ".");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new BadInputException("--diff " + rev + ": cannot run git: " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // git reads nothing
        }
        StringBuilder errors = new StringBuilder();
        Thread stderr = Thread.ofVirtual().start(() -> {
            try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (errors.length() < 4096) {
                        errors.append(errors.isEmpty() ? "" : " ").append(line.strip());
                    }
                }
            } catch (IOException ignored) {
                // the exit code tells
            }
        });
        Map<String, List<int[]>> added;
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            added = parse(out);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BadInputException("--diff " + rev + ": git diff did not finish in " + TIMEOUT_SECONDS + " s");
            }
            stderr.join();
        } catch (IOException e) {
            throw new BadInputException("--diff " + rev + ": reading git diff: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new BadInputException("--diff " + rev + ": interrupted");
        }
        if (p.exitValue() != 0) {
            String why = errors.toString().replaceFirst("^fatal: ", "");
            throw new BadInputException("--diff " + rev + ": git: " + (why.isEmpty() ? "exit " + p.exitValue() : why));
        }
        return new GitChanges(added);
    }

    /** Added line ranges by new file name, from unified diff text with zero lines of context. */
    static Map<String, List<int[]>> parse(BufferedReader diff) throws IOException {
        Map<String, List<int[]>> added = new HashMap<>();
        String file = null;
        int oldLeft = 0;
        int newLeft = 0;
        String line;
        while ((line = diff.readLine()) != null) {
            if (oldLeft > 0 || newLeft > 0) {
                // inside a hunk: its lines are content, even one that reads "+++ x"
                char c = line.isEmpty() ? ' ' : line.charAt(0);
                if (c == '-' || c == ' ') {
                    oldLeft--;
                }
                if (c == '+' || c == ' ') {
                    newLeft--;
                }
                continue;
            }
            if (line.startsWith("+++ ")) {
                String name = line.substring(4);
                file = name.equals("/dev/null") ? null : unquote(name).replaceFirst("^b/", "");
            } else if (line.startsWith("@@ ")) {
                Matcher m = HUNK.matcher(line);
                if (m.find()) {
                    oldLeft = m.group(1) == null ? 1 : Integer.parseInt(m.group(1));
                    int start = Integer.parseInt(m.group(2));
                    newLeft = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
                    if (newLeft > 0 && file != null) {
                        added.computeIfAbsent(file, k -> new ArrayList<>()).add(new int[]{start, start + newLeft - 1});
                    }
                }
            }
        }
        return added;
    }

    /** A path git quoted ("b/with \"quote\"") with its C escapes undone; others as they are. */
    private static String unquote(String name) {
        if (name.length() < 2 || name.charAt(0) != '"' || name.charAt(name.length() - 1) != '"') {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length() - 1) {
                char n = name.charAt(++i);
                sb.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
