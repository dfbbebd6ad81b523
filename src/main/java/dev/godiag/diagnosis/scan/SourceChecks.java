package dev.godiag.diagnosis.scan;

import dev.godiag.model.gosyntax.GoFile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The source checks godiag ships, and running them over a package. Immutable: one instance serves
 * concurrent scans.
 */
public final class SourceChecks {
    private static final SourceChecks SHIPPED = new SourceChecks(List.of(
            new TimeAfterInLoopCheck(),
            new RegexpCompileInLoopCheck(),
            new DeferInLoopCheck(),
            new StringConcatInLoopCheck(),
            new SprintfConversionCheck(),
            new JsonInLoopCheck(),
            new GrowWithoutHintCheck(),
            new LockCopyCheck(),
            new RangeValueCopyCheck(),
            new TickerNotStoppedCheck(),
            new RangeUnclosedChannelCheck(),
            new GoroutineBlocksForeverCheck(),
            new AbandonedSendCheck(),
            new HttpBodyNotClosedCheck(),
            new ContextCancelDroppedCheck(),
            new WaitGroupAddInGoroutineCheck()
    ));

    /** Findings in file, line, column, check order, and the warnings of their suppression comments. */
    public record PackageScan(List<ScanFinding> findings, List<String> warnings) {
    }

    private final List<SourceCheck> checks;
    private final Set<String> ids;

    public SourceChecks(List<SourceCheck> checks) {
        this.checks = List.copyOf(checks);
        this.ids = checks.stream().map(c -> c.info().id()).collect(Collectors.toUnmodifiableSet());
        if (ids.size() != checks.size()) {
            throw new IllegalArgumentException("two checks with one id");
        }
    }

    public static SourceChecks shipped() {
        return SHIPPED;
    }

    public List<CheckInfo> infos() {
        return checks.stream().map(SourceCheck::info).toList();
    }

    /** These checks only: the ids given, each of which must exist. */
    public SourceChecks only(Set<String> wanted) {
        for (String id : wanted) {
            if (!ids.contains(id)) {
                throw new IllegalArgumentException("no check named " + id);
            }
        }
        return new SourceChecks(checks.stream().filter(c -> wanted.contains(c.info().id())).toList());
    }

    /** Every check over every file of the package. */
    public PackageScan scan(GoPackage pkg) {
        List<ScanFinding> findings = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (GoFile file : pkg.files()) {
            Suppressions suppressions = new Suppressions(file, ids);
            warnings.addAll(suppressions.warnings());
            FileScan scan = new FileScan(file, pkg, suppressions, findings::add);
            for (SourceCheck check : checks) {
                try {
                    scan.run(check);
                } catch (RuntimeException | StackOverflowError e) {
                    // a bug in one check on one file must not cost the whole scan: say so, go on
                    warnings.add(file.path() + ": " + check.info().id() + " failed on this file ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                    .replace('\n', ' ') + "); a godiag bug, the other checks ran");
                }
            }
        }
        findings.sort(ORDER);
        return new PackageScan(findings, warnings);
    }

    public static final Comparator<ScanFinding> ORDER = Comparator.comparing(ScanFinding::file)
            .thenComparingInt(ScanFinding::line).thenComparingInt(ScanFinding::column)
            .thenComparing(f -> f.check().id());
}
