package dev.godiag.engine;

import java.nio.file.Path;

/**
 * godiag retention: a heap dump written by runtime/debug.WriteHeapDump and the binary that wrote it.
 *
 * @param dump   the heap dump file (read twice over: streamed, plus pointer words by position)
 * @param binary  the program's ELF executable, for the names of global roots
 * @param profile whether to make the retention profile too (godiag retention -o)
 */
public record RetentionRequest(Path dump, Path binary, boolean profile) {
}
