package dev.godiag.engine;

import dev.godiag.format.Source;
import dev.godiag.util.BadInputException;

import java.util.List;

/** What each of these profiles is. */
public record InfoRequest(List<Source> sources) {
    public InfoRequest {
        if (sources == null || sources.isEmpty()) {
            throw new BadInputException("no profile given");
        }
        sources = List.copyOf(sources);
    }

    public static InfoRequest of(Source... sources) {
        return new InfoRequest(List.of(sources));
    }
}
