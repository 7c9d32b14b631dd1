package io.terrace.reconciler.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * DescribeTaskDefinition results by ARN. A task definition revision never changes once
 * registered, so an ARN read once is never read again: after the first sweep an observe costs no
 * task-definition calls until a service moves to a new revision. Bounded, least recently used
 * out first.
 */
public final class TaskDefinitionCache {

    /** One described revision with the tags it had when read. */
    public record Entry(TaskDefinition definition, List<Tag> tags) {}

    private final int capacity;
    private final Map<String, Entry> entries;

    public TaskDefinitionCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TaskDefinitionCache.this.capacity;
            }
        };
    }

    public TaskDefinitionCache() {
        this(20_000);
    }

    public synchronized Optional<Entry> get(String arn) {
        return Optional.ofNullable(entries.get(arn));
    }

    public synchronized void put(String arn, Entry entry) {
        entries.put(arn, entry);
    }

    public synchronized int size() {
        return entries.size();
    }
}
