package io.terrace.reconciler.git;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/** Reads the specs of one commit; {@link SpecSnapshot#read(Repository, ObjectId)} in production. */
@FunctionalInterface
public interface SnapshotReader {

    SnapshotReader SPECS = SpecSnapshot::read;

    SpecSnapshot read(Repository repository, ObjectId commit);
}
