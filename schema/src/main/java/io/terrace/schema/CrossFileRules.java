package io.terrace.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules that span files: environment names are unique and CDN aliases are unique across all
 * environments (CloudFront refuses an alias claimed by two distributions). Terrace cannot tell
 * which file owns a contested name or alias, so every file involved gets a diagnostic and none
 * of them is applied until the conflict is resolved; a pull request shows it before merging.
 *
 * <p>Each file gets one line per contested name or alias however many files share it, naming a
 * few of them and counting the rest, so thirty files claiming one name print thirty lines, not
 * thirty squared.
 */
final class CrossFileRules {

    /** Other files named in a conflict before the rest are only counted. */
    static final int FILES_NAMED = 3;

    private CrossFileRules() {}

    /** Adds a diagnostic to each file in {@code checked} that conflicts with any file of {@code all}. */
    static void check(List<EnvironmentFile> checked, List<EnvironmentFile> all) {
        Map<String, Set<EnvironmentFile>> byName = new LinkedHashMap<>();
        Map<String, Set<EnvironmentFile>> byAlias = new LinkedHashMap<>();
        for (EnvironmentFile env : all) {
            byName.computeIfAbsent(env.name(), n -> new LinkedHashSet<>()).add(env);
            for (EnvironmentFile.Alias alias : env.aliases()) {
                byAlias.computeIfAbsent(alias.host().toLowerCase(Locale.ROOT), h -> new LinkedHashSet<>()).add(env);
            }
        }
        for (EnvironmentFile env : checked) {
            Set<EnvironmentFile> sameName = byName.getOrDefault(env.name(), Set.of());
            if (sameName.size() > 1) {
                env.addProblem("/name", "environment name " + Excerpt.quote(env.name()) + " is also used by "
                        + others(env, sameName) + "; environment names must be unique");
            }
            env.restoreFrom().ifPresent(source -> {
                Set<EnvironmentFile> from = byName.getOrDefault(source, Set.of());
                for (EnvironmentFile other : from) {
                    if (other != env && other.client().isPresent() && env.client().isPresent()
                            && !other.client().get().equals(env.client().get())) {
                        env.addProblem("/database/restoreFrom", "database.restoreFrom " + Excerpt.quote(source)
                                + " is an environment of client " + Excerpt.quote(other.client().get()) + ", not "
                                + Excerpt.quote(env.client().get()) + "; a database is restored only from the same "
                                + "client's environments");
                        break;
                    }
                }
            });
            Set<String> reported = new HashSet<>();
            for (EnvironmentFile.Alias alias : env.aliases()) {
                String host = alias.host().toLowerCase(Locale.ROOT);
                Set<EnvironmentFile> claimants = byAlias.get(host);
                if (claimants.size() > 1 && reported.add(host)) {
                    env.addProblem(alias.pointer(), SourceMap.dotted(alias.pointer()) + " " + Excerpt.quote(alias.host()) + " is also claimed by "
                            + others(env, claimants) + "; CDN aliases must be unique across environments");
                }
            }
        }
    }

    /** "b.yaml" or "29 other files: a.yaml, b.yaml, c.yaml and 26 more". */
    private static String others(EnvironmentFile env, Set<EnvironmentFile> claimants) {
        int count = claimants.size() - 1;
        List<String> named = new ArrayList<>();
        for (EnvironmentFile other : claimants) {
            if (other != env && named.size() < FILES_NAMED) {
                named.add(Excerpt.bare(other.file()));
            }
        }
        if (count == 1) {
            return named.get(0);
        }
        String list = String.join(", ", named);
        return count + " other files: " + (count > named.size() ? list + " and " + (count - named.size()) + " more"
                : list.substring(0, list.lastIndexOf(", ")) + " and " + named.get(named.size() - 1));
    }
}
