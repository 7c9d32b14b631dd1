package io.terrace.schema;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/**
 * What the spec loader must do with any bytes: return diagnostics, never throw; name the file in
 * every diagnostic and a line in every one that is not about the whole file; and finish within
 * {@link #TIME} having allocated at most {@link #ALLOCATED} bytes. A diagnostic from a catch-all
 * ({@code cannot read YAML: <exception>}, {@code internal error while validating}) is an exception
 * that escaped the code meant to handle it, so it counts as a crash too.
 */
final class FuzzOracle {

    static final String FILE = "environments/fuzz.yaml";
    static final Duration TIME = Duration.ofSeconds(5);
    static final long ALLOCATED = 1L << 30;

    /** Diagnostics about the whole file, which have no line of their own. */
    private static final List<String> WHOLE_FILE = List.of("file is empty", "file is ", "and ");

    private FuzzOracle() {}

    /** Why {@code input} breaks the contract, or empty. */
    static Optional<String> problem(byte[] input) {
        long[] allocated = new long[1];
        SpecSet set;
        try {
            set = assertTimeoutPreemptively(TIME, () -> {
                var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadAllocatedBytes();
                SpecSet s = SpecRepository.load(Map.of(FILE, input), Optional.empty());
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
                return s;
            });
        } catch (AssertionFailedError e) {
            return Optional.of("took longer than " + TIME.toSeconds() + " s");
        } catch (Throwable e) {
            return Optional.of("threw " + e + " at " + java.util.Arrays.stream(e.getStackTrace()).limit(4)
                    .map(StackTraceElement::toString).collect(java.util.stream.Collectors.joining(" < ")));
        }
        if (allocated[0] > ALLOCATED) {
            return Optional.of("allocated " + allocated[0] / (1 << 20) + " MiB");
        }
        List<String> problems = new ArrayList<>();
        for (SpecResult r : set.results()) {
            if (r instanceof SpecResult.Invalid invalid) {
                if (invalid.diagnostics().isEmpty()) {
                    problems.add("invalid without a diagnostic");
                }
                for (Diagnostic d : invalid.diagnostics()) {
                    if (!FILE.equals(d.file())) {
                        problems.add("diagnostic names file " + d.file() + ": " + d);
                    } else if (d.message().startsWith("cannot read YAML:")
                            || d.message().startsWith("internal error while validating")) {
                        problems.add("an exception was caught by a last line of defence: " + d);
                    } else if (d.line() <= 0 && WHOLE_FILE.stream().noneMatch(d.message()::startsWith)) {
                        problems.add("diagnostic without a line: " + d);
                    }
                }
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
