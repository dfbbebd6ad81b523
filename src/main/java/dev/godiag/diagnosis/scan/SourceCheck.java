package dev.godiag.diagnosis.scan;

/**
 * One pattern the knowledge base knows, looked for in Go source. A check reads one file at a time
 * (with its package's other files at hand through {@link FileScan#pkg()}) and reports through
 * {@link FileScan#report}; it keeps no state between files, so one instance serves every scan.
 */
public interface SourceCheck {

    CheckInfo info();

    void check(FileScan scan);
}
