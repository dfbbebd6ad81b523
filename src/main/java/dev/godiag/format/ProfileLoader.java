package dev.godiag.format;

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
            byte[] data = InputSource.readAll(source, fetch);
            return withMapping(ProfileReader.read(data, inflateLimit));
        } catch (BadInputException e) {
            throw new BadInputException(displayName(source) + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(displayName(source) + ": too large for the memory available"
                    + " (raise the heap with GODIAG_JAVA_OPTS=-Xmx...)");
        }
    }

    public static String displayName(String source) {
        return source.equals("-") ? "<stdin>" : source;
    }

    /** pprof gives a profile without mappings one empty mapping that every location uses. */
    static Profile withMapping(Profile p) {
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
