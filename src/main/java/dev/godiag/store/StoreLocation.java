package dev.godiag.store;

import java.nio.file.Path;

/**
 * Where the baseline database is: a SQLite file or a PostgreSQL JDBC URL. The surface resolves it
 * (a flag, an environment variable, a server's configuration) and passes it in; the store never
 * looks at the environment.
 *
 * @param display         safe to print (no password)
 * @param sqliteFile      the SQLite file, or null
 * @param jdbcUrl         the PostgreSQL URL, or null
 * @param createDirectory whether a missing directory of the SQLite file is created (the default
 *                        location) or an error (a location the user named)
 */
public record StoreLocation(String display, Path sqliteFile, String jdbcUrl, boolean createDirectory) {
    public boolean sqlite() {
        return sqliteFile != null;
    }

    /**
     * The default database file: {@code GODIAG_HOME/godiag.db} when that directory is given, else
     * {@code ~/.godiag/godiag.db} under the user's home.
     */
    public static Path defaultFile(String godiagHome, Path userHome) {
        if (godiagHome != null && !godiagHome.isBlank()) {
            return Path.of(godiagHome, "godiag.db");
        }
        return userHome.resolve(".godiag").resolve("godiag.db");
    }

    /**
     * Reads a --db value: null or empty for {@code defaultFile}, {@code sqlite:PATH} or
     * {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P]} (also
     * {@code postgresql://} and {@code postgres://} without credentials in the authority).
     */
    public static StoreLocation parse(String spec, Path defaultFile) {
        if (spec == null || spec.isBlank()) {
            Path f = defaultFile.toAbsolutePath();
            return new StoreLocation("sqlite:" + f, f, null, true);
        }
        String s = spec.strip();
        String file = s.startsWith("jdbc:sqlite:") ? s.substring("jdbc:sqlite:".length())
                : s.startsWith("sqlite:") ? s.substring("sqlite:".length()) : null;
        if (file != null) {
            if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
                throw new StoreException("--db " + s + ": expected sqlite:PATH with the path of a database file");
            }
            Path f = Path.of(file).toAbsolutePath();
            return new StoreLocation("sqlite:" + f, f, null, false);
        }
        if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
            s = "jdbc:postgresql://" + s.substring(s.indexOf("://") + 3);
        }
        if (s.startsWith("jdbc:postgresql://") && s.length() > "jdbc:postgresql://".length()) {
            return new StoreLocation(redact(s), null, s, false);
        }
        throw new StoreException("--db " + redact(s) + ": not a database URL godiag reads (expected sqlite:PATH,"
                + " jdbc:sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DB)");
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }
}
