package io.terrace.planner;

import io.terrace.schema.SpecSet;
import java.util.Map;

/**
 * Computes a {@link Plan} from specs and observed state. Every environment that has a spec file,
 * or live resources, is planned; callers narrow the scope by filtering both inputs. An environment
 * with live resources but no spec file is planned for deletion, which is blocked unless it was
 * decommissioned first.
 */
public final class Planner {

    private final PlanOptions options;

    public Planner(PlanOptions options) {
        this.options = options;
    }

    /**
     * @param revisions the git commit of each environment's spec, by environment name; an
     *                  environment missing from the map gets revision {@code "unknown"}
     */
    public Plan plan(SpecSet specs, Map<String, String> revisions, ObservedState observed) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
