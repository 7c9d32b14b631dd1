package io.terrace.reconciler.git;

import io.terrace.schema.SpecResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Reads one commit's snapshot in a JVM of its own (the test starts it with a small heap) and
 * prints what it found and the peak heap it took: {@code invalid=<n> valid=<n> peak_heap_mb=<n>}.
 */
public final class SnapshotHeapProbe {

    private SnapshotHeapProbe() {}

    public static void main(String[] args) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().findGitDir(Path.of(args[0]).toFile()).setMustExist(true).build()) {
            SpecSnapshot snapshot = SpecSnapshot.read(repo, ObjectId.fromString(args[1]));
            long invalid = snapshot.specs().results().stream().filter(SpecResult.Invalid.class::isInstance).count();
            long valid = snapshot.specs().results().size() - invalid;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getPeakUsage)
                    .mapToLong(u -> u.getUsed())
                    .sum();
            System.out.println("invalid=" + invalid + " valid=" + valid + " peak_heap_mb=" + (peak >> 20));
            snapshot.specs().diagnostics().stream().limit(1).forEach(System.out::println);
        }
    }
}
