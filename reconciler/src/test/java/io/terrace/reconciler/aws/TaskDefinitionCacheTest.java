package io.terrace.reconciler.aws;

import io.terrace.reconciler.aws.ecs.TaskDefinitionCache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task-definition cache the daemon keeps in its data folder across restarts. */
class TaskDefinitionCacheTest {

    @TempDir
    Path tmp;

    private static TaskDefinitionCache.Entry entry(int revision) {
        return new TaskDefinitionCache.Entry("arn:aws:ecs:eu-west-1:123456789012:task-definition/terrace-acme-web:" + revision,
                "terrace-acme-web", revision, "registry.example.com/acme/app:1." + revision, 512, 1024,
                Map.of("terrace:managed-by", "terrace", "terrace:environment", "acme"),
                "arn:aws:iam::123456789012:role/terrace/terrace-acme-web-task",
                "arn:aws:iam::123456789012:role/terrace/terrace-acme-execution",
                "/terrace/acme/web", "eu-west-1", "web",
                Map.of("DB_HOST", "db.example"), Map.of("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:password::"),
                true, List.of("/tmp", "/var/run"), List.of());
    }

    @Test
    void whatOneRunLearntTheNextRunKnows() {
        Path file = tmp.resolve("data/task-definitions.jsonl");
        TaskDefinitionCache first = TaskDefinitionCache.keptIn(file);
        first.put(entry(1));
        first.put(entry(2));
        first.put(entry(2)); // already known: not written twice

        TaskDefinitionCache second = TaskDefinitionCache.keptIn(file);

        assertEquals(2, second.size());
        assertEquals(Optional.of(entry(2)), second.get(entry(2).arn()));
        assertEquals(Optional.empty(), second.get(entry(3).arn()));
    }

    @Test
    void anUnreadableLineIsSkippedAndDroppedFromTheFile() throws IOException {
        Path file = tmp.resolve("task-definitions.jsonl");
        TaskDefinitionCache.keptIn(file).put(entry(1));
        Files.writeString(file, Files.readString(file) + "{\"arn\": \"cut short\n");

        TaskDefinitionCache cache = TaskDefinitionCache.keptIn(file);

        assertEquals(1, cache.size());
        assertEquals(1, Files.readAllLines(file).size());
    }

    @Test
    void theFileIsKeptAsSmallAsTheCache() throws IOException {
        Path file = tmp.resolve("task-definitions.jsonl");
        TaskDefinitionCache wide = TaskDefinitionCache.keptIn(file);
        for (int r = 1; r <= 5; r++) {
            wide.put(entry(r));
        }

        TaskDefinitionCache narrow = TaskDefinitionCache.keptIn(file, 3);

        assertEquals(3, narrow.size());
        assertEquals(List.of(3, 4, 5), Files.readAllLines(file).stream()
                .map(l -> Integer.parseInt(l.replaceAll(".*\"revision\":(\\d+).*", "$1"))).toList());
    }

    @Test
    void aFileThatCannotBeWrittenLeavesTheCacheInMemory() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        TaskDefinitionCache cache = TaskDefinitionCache.keptIn(notADirectory.resolve("task-definitions.jsonl"));

        cache.put(entry(1));

        assertTrue(cache.get(entry(1).arn()).isPresent());
    }
}
