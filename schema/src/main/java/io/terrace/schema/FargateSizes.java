package io.terrace.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The CPU/memory combinations AWS Fargate accepts for a task (CPU units, MiB): 256 CPU allows
 * 512, 1024 or 2048; every larger size allows a range of memory with a fixed step.
 */
final class FargateSizes {

    /** The memory sizes one CPU size allows, and how a message describes them. */
    record MemoryChoice(List<Integer> values, String description) {
        static MemoryChoice steps(int min, int max, int step) {
            return new MemoryChoice(IntStream.iterate(min, m -> m <= max, m -> m + step).boxed().toList(),
                    min + " to " + max + " in steps of " + step);
        }

        boolean allows(int memory) {
            return values.contains(memory);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final Map<Integer, MemoryChoice> BY_CPU = Map.of(
            256, new MemoryChoice(List.of(512, 1024, 2048), "512, 1024 or 2048"),
            512, MemoryChoice.steps(1024, 4096, 1024),
            1024, MemoryChoice.steps(2048, 8192, 1024),
            2048, MemoryChoice.steps(4096, 16384, 1024),
            4096, MemoryChoice.steps(8192, 30720, 1024),
            8192, MemoryChoice.steps(16384, 61440, 4096),
            16384, MemoryChoice.steps(32768, 122880, 8192));

    private FargateSizes() {}

    static Optional<MemoryChoice> memoryFor(int cpu) {
        return Optional.ofNullable(BY_CPU.get(cpu));
    }

    static boolean allows(int cpu, int memory) {
        return memoryFor(cpu).map(r -> r.allows(memory)).orElse(false);
    }
}
