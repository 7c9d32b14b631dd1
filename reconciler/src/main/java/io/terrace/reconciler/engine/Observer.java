package io.terrace.reconciler.engine;

import io.terrace.planner.ObservedState;
import java.util.Collection;

/** Reads live state for a set of environments in one batched sweep. */
public interface Observer {

    ObservedState observe(Collection<String> environments);
}
