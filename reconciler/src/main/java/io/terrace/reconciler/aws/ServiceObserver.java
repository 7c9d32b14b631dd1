package io.terrace.reconciler.aws;

import io.terrace.planner.ObservedResource;
import java.util.Collection;
import java.util.List;

/**
 * Reads the live state of every Terrace resource one AWS service holds, for many environments in
 * one sweep: list and batch-describe APIs page by page, split by tag or deterministic name
 * (BRIEF §8). Detail reads only where the service has no batch API.
 */
public interface ServiceObserver {

    /**
     * @param environments the environment names to look for; resources of other environments
     *                     may be skipped
     * @return one {@link ObservedResource} per resource found, addressed like the desired one;
     *         a same-named resource without Terrace's tags is returned too (with its live tags),
     *         so the planner can refuse to touch it
     */
    List<ObservedResource> observe(Collection<String> environments);
}
