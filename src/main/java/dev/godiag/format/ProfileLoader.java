package dev.godiag.format;

import dev.godiag.util.BadInputException;

import dev.godiag.model.LocationTable;
import dev.godiag.model.Mapping;
import dev.godiag.model.Profile;

import java.util.List;

/** Loads a profile from a file, "-" or a URL; errors name the source. */
public final class ProfileLoader {
    private ProfileLoader() {
    }

    public static Profile load(String source, InputSource.FetchOptions fetch, long inflateLimit) {
        try {
            byte[] data = InputSource.readAll(source, fetch, ReadLimits.ofMaxInflate(inflateLimit));
            if (data.length == 0) {
                throw new BadInputException(InputSource.isUrl(source) ? "empty response"
                        : source.equals("-") ? "empty input" : "empty file");
            }
            return withMapping(ProfileReader.read(data, inflateLimit));
        } catch (BadInputException e) {
            throw new BadInputException(displayName(source) + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(displayName(source) + ": too large for the memory available"
                    + " (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
        } catch (java.io.UncheckedIOException e) {
            throw new BadInputException(displayName(source) + ": cannot read: " + e.getCause().getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            // A reader bug, but one this input triggers: say which input, on one line, and keep the
            // cause for --debug. The fuzz tests exist so that this never happens.
            throw new BadInputException(displayName(source) + ": cannot read this input: a reader failed on it ("
                    + e.getClass().getSimpleName().replace("Exception", "") + "); please report it, --debug shows"
                    + " details", e);
        }
    }

    /** Loads a profile from a source within the limits; errors name the source. */
    public static Profile load(Source source, ReadLimits limits) {
        String name = source.name();
        try {
            byte[] data = source.readAll(limits);
            if (data.length == 0) {
                throw new BadInputException(source instanceof Source.Url ? "empty response"
                        : source instanceof Source.Stdin ? "empty input" : "empty file");
            }
            return withMapping(ProfileReader.read(data, limits.maxInflate()));
        } catch (BadInputException e) {
            throw new BadInputException(name + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(name + ": too large for the memory available"
                    + " (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
        } catch (java.io.UncheckedIOException e) {
            throw new BadInputException(name + ": cannot read: " + e.getCause().getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new BadInputException(name + ": cannot read this input: a reader failed on it ("
                    + e.getClass().getSimpleName().replace("Exception", "") + "); please report it, --debug shows"
                    + " details", e);
        }
    }

    public static String displayName(String source) {
        return source.equals("-") ? "<stdin>" : source;
    }

    /** pprof's driver gives a profile without mappings one empty mapping that every location uses. */
    public static Profile withMapping(Profile p) {
        if (!p.mappings().isEmpty()) {
            return p;
        }
        LocationTable l = p.locations();
        int[] mapping = new int[l.size()];
        LocationTable nl = new LocationTable(l.id, mapping, l.address, l.folded, l.lineStart, l.lineFunction,
                l.lineNumber, l.lineColumn);
        return p.withMappings(List.of(new Mapping(1, 0, 0, 0, "", "", false, false, false, false)))
                .withLocations(nl, p.samples());
    }
}
