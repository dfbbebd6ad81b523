package dev.godiag.engine;

/**
 * A stored baseline was asked for by a name the database does not have. The surface words it (the
 * CLI's gate also says the name was no file either).
 */
public final class NoSuchBaselineException extends RuntimeException {
    private final String name;
    private final String location;

    public NoSuchBaselineException(String name, String location) {
        super("no baseline named '" + name + "' in " + location, null, false, false);
        this.name = name;
        this.location = location;
    }

    public String name() {
        return name;
    }

    /** Where it was looked for, safe to print. */
    public String location() {
        return location;
    }
}
