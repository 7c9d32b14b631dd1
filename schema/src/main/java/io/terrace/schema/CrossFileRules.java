package io.terrace.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules that span files: environment names are unique and CDN aliases are unique across all
 * environments (CloudFront refuses an alias claimed by two distributions). Terrace cannot tell
 * which file owns a contested name or alias, so every file involved gets a diagnostic and none
 * of them is applied until the conflict is resolved; a pull request shows it before merging.
 */
final class CrossFileRules {

    private CrossFileRules() {}

    /** Adds a diagnostic to each file in {@code checked} that conflicts with any file of {@code all}. */
    static void check(List<EnvironmentFile> checked, List<EnvironmentFile> all) {
        Map<String, List<EnvironmentFile>> byName = new LinkedHashMap<>();
        Map<String, List<EnvironmentFile>> byAlias = new LinkedHashMap<>();
        for (EnvironmentFile env : all) {
            byName.computeIfAbsent(env.name(), n -> new ArrayList<>()).add(env);
            for (EnvironmentFile.Alias alias : env.aliases()) {
                byAlias.computeIfAbsent(alias.host().toLowerCase(Locale.ROOT), h -> new ArrayList<>())
                        .add(env);
            }
        }
        for (EnvironmentFile env : checked) {
            for (EnvironmentFile other : byName.getOrDefault(env.name(), List.of())) {
                if (other != env) {
                    env.addProblem("/name", "environment name '" + env.name() + "' is also used by "
                            + other.file() + "; environment names must be unique");
                }
            }
            Set<String> reported = new HashSet<>();
            for (EnvironmentFile.Alias alias : env.aliases()) {
                String host = alias.host().toLowerCase(Locale.ROOT);
                List<String> others = byAlias.get(host).stream()
                        .filter(other -> other != env)
                        .distinct()
                        .map(other -> "environment " + other.name() + " (" + other.file() + ")")
                        .toList();
                if (!others.isEmpty() && reported.add(host)) {
                    env.addProblem(alias.pointer(), SourceMap.dotted(alias.pointer()) + " '" + alias.host()
                            + "' is also an alias of " + String.join(", ", others)
                            + "; CDN aliases must be unique across environments");
                }
            }
        }
    }
}
