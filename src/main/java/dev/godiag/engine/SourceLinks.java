package dev.godiag.engine;

import java.net.URI;

/**
 * A finding's link from a template such as {@code https://github.com/org/repo/blob/main/{file}#L{line}}.
 * A file seen through a source root is linked by its path under that root. Otherwise the path is as
 * the binary recorded it, which starts with the module path under {@code -trimpath}
 * ({@code github.com/org/repo/internal/parse.go}) and with the build directory without it: when the
 * repository the template names ({@code org/repo}, the first two segments of its path, as GitHub,
 * GitLab and Gitea lay their URLs out) appears in the path, the link uses what follows it, the path
 * inside the repository.
 */
final class SourceLinks {
    private SourceLinks() {
    }

    static String link(String template, String file, boolean fromSourceRoot, long line) {
        String path = fromSourceRoot ? file : inRepository(template, file);
        return template.replace("{file}", path).replace("{line}", line > 0 ? Long.toString(line) : "");
    }

    /** The part of {@code file} after the template's owner/repo, or the file as it is. */
    static String inRepository(String template, String file) {
        int at = template.indexOf("{file}");
        if (at < 0) {
            return file;
        }
        String head = template.substring(0, at);
        String path;
        try {
            path = URI.create(head.replace("{version}", "v").replace("{line}", "")).getPath();
        } catch (IllegalArgumentException e) {
            return file;
        }
        if (path == null) {
            return file;
        }
        String[] segments = path.replaceFirst("^/+", "").split("/");
        if (segments.length < 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
            return file;
        }
        String repo = "/" + segments[0] + "/" + segments[1] + "/";
        String f = "/" + file.replace('\\', '/');
        int i = f.lastIndexOf(repo);
        return i < 0 ? file : f.substring(i + repo.length());
    }
}
