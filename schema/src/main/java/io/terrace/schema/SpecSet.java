package io.terrace.schema;

import java.util.List;
import java.util.Optional;

/**
 * Every environment of a spec repository, loaded and validated together (cross-file rules
 * included), and the repository-wide pause if a {@code PAUSE} file exists.
 */
public record SpecSet(List<SpecResult> results, Optional<String> pauseReason) {

    public SpecSet {
        results = List.copyOf(results);
    }

    public List<Diagnostic> diagnostics() {
        return results.stream()
                .filter(r -> r instanceof SpecResult.Invalid)
                .flatMap(r -> ((SpecResult.Invalid) r).diagnostics().stream())
                .toList();
    }

    public boolean valid() {
        return results.stream().allMatch(r -> r instanceof SpecResult.Valid);
    }

    public Optional<SpecResult> find(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
