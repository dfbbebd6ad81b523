package dev.godiag.cli;

import dev.godiag.store.BaselineRepository;
import dev.godiag.store.Database;
import dev.godiag.store.StoreException;
import dev.godiag.store.StoreLocation;
import dev.godiag.util.BadInputException;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The command line's baseline database, opened when a command first needs it (a gate against files
 * never touches it) and closed when the command ends. Its location: --db, else GODIAG_DB, else
 * GODIAG_HOME/godiag.db, else ~/.godiag/godiag.db.
 */
final class Stores implements Supplier<BaselineRepository>, AutoCloseable {
    private final ParsedArgs args;
    private final Terminal term;
    private Database db;
    private BaselineRepository repository;

    Stores(ParsedArgs args, Terminal term) {
        this.args = args;
        this.term = term;
    }

    @Override
    public BaselineRepository get() {
        if (repository == null) {
            db = Database.open(location());
            repository = new BaselineRepository(db);
        }
        return repository;
    }

    private StoreLocation location() {
        String spec = args.string("db", term.env("GODIAG_DB"));
        try {
            return StoreLocation.parse(spec, StoreLocation.defaultFile(term.env("GODIAG_HOME"),
                    Path.of(System.getProperty("user.home"))));
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** A daemon's data directory: --data-dir, else $GODIAG_HOME/NAME, else ~/.godiag/NAME. */
    static Path dataDir(ParsedArgs a, Terminal term, String name) {
        String home = term.env("GODIAG_HOME");
        Path fallback = home != null && !home.isBlank() ? Path.of(home, name)
                : Path.of(System.getProperty("user.home"), ".godiag", name);
        return Path.of(a.string("data-dir", fallback.toString()));
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
        }
    }
}
