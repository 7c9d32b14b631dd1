package io.terrace.reconciler.git;

import io.terrace.schema.SpecRepository;
import io.terrace.schema.SpecResult;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which environment each spec file declares, so a new commit only concerns the environments
 * whose files it added, modified or deleted. A change to the {@code PAUSE} file concerns them all.
 */
public final class EnvironmentIndex {

    public static final EnvironmentIndex EMPTY = new EnvironmentIndex(Map.of());

    private final Map<String, String> byPath;

    private EnvironmentIndex(Map<String, String> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    public static EnvironmentIndex of(SpecSnapshot snapshot) {
        Map<String, String> byPath = new HashMap<>();
        for (String file : snapshot.files().keySet()) {
            byPath.put(file, SpecSnapshot.environmentOf(file));
        }
        for (SpecResult r : snapshot.specs().results()) {
            byPath.put(r.file(), r.name());
        }
        return new EnvironmentIndex(byPath);
    }

    /** The environment names this index knows. */
    public Set<String> environments() {
        return new TreeSet<>(byPath.values());
    }

    /**
     * The environments concerned by a set of changed paths, looked up in this index (the new
     * commit) and in {@code previous} (for deleted files).
     */
    public Changes affected(Set<String> changedPaths, EnvironmentIndex previous) {
        Set<String> names = new TreeSet<>();
        boolean all = false;
        for (String path : changedPaths) {
            if (path.equals(SpecRepository.PAUSE_FILE)) {
                all = true;
            } else if (byPath.containsKey(path)) {
                names.add(byPath.get(path));
            } else if (previous.byPath.containsKey(path)) {
                names.add(previous.byPath.get(path));
            } else if (SpecSnapshot.isSpecPath(path)) {
                names.add(SpecSnapshot.environmentOf(path));
            }
        }
        if (all) {
            names.addAll(environments());
            names.addAll(previous.environments());
        }
        return new Changes(all, names);
    }

    /**
     * @param pauseChanged the PAUSE file was added, edited or removed
     * @param environments the environments to reconcile
     */
    public record Changes(boolean pauseChanged, Set<String> environments) {
        public Changes {
            environments = Set.copyOf(environments);
        }
    }
}
