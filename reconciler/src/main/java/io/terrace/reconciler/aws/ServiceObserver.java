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
     * Up to this many environments are read by their own deterministic names (DescribeStacks of
     * one stack, DescribeReplicationGroups of one group, …) rather than by listing the region's:
     * observing one environment, as a commit touching it or an apply does, then costs the same
     * in a region of ten environments as in one of a thousand.
     */
    int FEW = 5;

    /** Whether {@code environments} are {@link #FEW} enough to read by name. */
    static boolean few(Collection<String> environments) {
        return environments.size() <= FEW;
    }

    /**
     * @param environments the environment names to look for; resources of other environments
     *                     may be skipped
     * @return one {@link ObservedResource} per resource found, addressed like the desired one;
     *         a same-named resource without Terrace's tags is returned too (with its live tags),
     *         so the planner can refuse to touch it
     */
    List<ObservedResource> observe(Collection<String> environments);
}
