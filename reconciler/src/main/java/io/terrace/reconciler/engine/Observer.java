package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedState;
import java.util.Collection;

/** Reads live state for a set of environments in one batched sweep. */
public interface Observer {

    ObservedState observe(Collection<String> environments);

    /**
     * Like {@link #observe}, reading every detail an observer may keep between observes from AWS
     * again: for a pass a commit, a refresh or a retry started, and before an apply.
     */
    default ObservedState observeFresh(Collection<String> environments) {
        return observe(environments);
    }

    /** Forgets the kept details of {@code environment}: an apply wrote to it. */
    default void forgetDetails(String environment) {}

    /**
     * What a cluster's nodes split their drift sweeps by, given whole to one node: the
     * environment's region where the observer reads listings per region, else the environment.
     */
    default String sweepUnit(String environment) {
        return environment;
    }

    /** Shares the details kept between observes with the other nodes of a cluster. */
    default void shareDetails(SharedDetails shared) {}
}
