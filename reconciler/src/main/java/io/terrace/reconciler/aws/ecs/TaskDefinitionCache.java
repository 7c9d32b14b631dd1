package io.terrace.reconciler.aws.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * What DescribeTaskDefinition said, by ARN. A task definition revision never changes once
 * registered and its ARN is never reused, so an ARN read once need not be read again: after the
 * first sweep an observe costs no task-definition calls until a service moves to a new revision.
 * Bounded, least recently used out first.
 *
 * <p>The daemon keeps it in a file of its data folder ({@link #keptIn}), one JSON line per
 * revision, so a restart does not read every revision again; the command line keeps it in memory
 * for one run. A line that cannot be read is skipped (the revision is read from AWS again), and a
 * file that cannot be written leaves the cache in memory only.
 */
public final class TaskDefinitionCache {

    /**
     * What Terrace reads of one revision: the first container's image, the task size, its tags,
     * the two roles' ARNs, the first container's {@code awslogs} options ("" when absent, also for
     * lines written before Terrace read them), its environment and secrets (name to value,
     * name to {@code valueFrom}), whether its root filesystem is read-only, and the paths it
     * mounts read-write from task volumes with no host (false and none for older lines), and the
     * other containers as {@code <name> <image>}, sorted (none for older lines, which predate them).
     */
    public record Entry(String arn, String family, int revision, String image, int cpu, int memory,
                        Map<String, String> tags, String taskRoleArn, String executionRoleArn,
                        String logGroup, String logRegion, String logStreamPrefix,
                        Map<String, String> environment, Map<String, String> secrets,
                        Boolean readonlyRootFilesystem, List<String> writablePaths, List<String> sidecars) {

        public Entry {
            tags = Collections.unmodifiableMap(new TreeMap<>(tags));
            taskRoleArn = Objects.requireNonNullElse(taskRoleArn, "");
            executionRoleArn = Objects.requireNonNullElse(executionRoleArn, "");
            logGroup = Objects.requireNonNullElse(logGroup, "");
            logRegion = Objects.requireNonNullElse(logRegion, "");
            logStreamPrefix = Objects.requireNonNullElse(logStreamPrefix, "");
            // Lines a cache file kept from before these were read have none.
            environment = Collections.unmodifiableMap(new TreeMap<>(environment == null ? Map.of() : environment));
            secrets = Collections.unmodifiableMap(new TreeMap<>(secrets == null ? Map.of() : secrets));
            readonlyRootFilesystem = Boolean.TRUE.equals(readonlyRootFilesystem);
            writablePaths = writablePaths == null ? List.of() : List.copyOf(new java.util.TreeSet<>(writablePaths));
            sidecars = sidecars == null ? List.of() : List.copyOf(new java.util.TreeSet<>(sidecars));
        }

        static Entry of(TaskDefinition td, List<Tag> tags) {
            ContainerDefinition container = td.containerDefinitions().isEmpty() ? null : td.containerDefinitions().get(0);
            Map<String, String> log = container == null || container.logConfiguration() == null
                    ? Map.of() : container.logConfiguration().options();
            return new Entry(td.taskDefinitionArn(), td.family(), td.revision() == null ? 0 : td.revision(),
                    container == null ? "" : container.image(), parseInt(td.cpu()), parseInt(td.memory()),
                    EcsResources.tags(tags), td.taskRoleArn(), td.executionRoleArn(),
                    log.get(EcsResources.AWSLOGS_GROUP), log.get(EcsResources.AWSLOGS_REGION),
                    log.get(EcsResources.AWSLOGS_STREAM_PREFIX), environment(container), secrets(container),
                    container != null && Boolean.TRUE.equals(container.readonlyRootFilesystem()),
                    writablePaths(td, container),
                    td.containerDefinitions().stream().skip(1).map(c -> c.name() + " " + c.image()).toList());
        }

        /** The container paths mounted read-write from a task volume with no host, EFS or Docker configuration. */
        private static List<String> writablePaths(TaskDefinition td, ContainerDefinition container) {
            if (container == null || !container.hasMountPoints()) {
                return List.of();
            }
            java.util.Set<String> scratch = new java.util.HashSet<>();
            if (td.hasVolumes()) {
                td.volumes().stream()
                        .filter(v -> (v.host() == null || v.host().sourcePath() == null)
                                && v.efsVolumeConfiguration() == null && v.dockerVolumeConfiguration() == null
                                && v.fsxWindowsFileServerVolumeConfiguration() == null)
                        .forEach(v -> scratch.add(v.name()));
            }
            return container.mountPoints().stream()
                    .filter(m -> scratch.contains(m.sourceVolume()) && !Boolean.TRUE.equals(m.readOnly()))
                    .map(m -> m.containerPath()).sorted().toList();
        }

        private static Map<String, String> environment(ContainerDefinition container) {
            Map<String, String> out = new TreeMap<>();
            if (container != null && container.hasEnvironment()) {
                container.environment().forEach(kv -> out.put(kv.name(), kv.value()));
            }
            return out;
        }

        private static Map<String, String> secrets(ContainerDefinition container) {
            Map<String, String> out = new TreeMap<>();
            if (container != null && container.hasSecrets()) {
                container.secrets().forEach(s -> out.put(s.name(), s.valueFrom()));
            }
            return out;
        }
    }

    static final int DEFAULT_CAPACITY = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger("terrace.aws");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int capacity;
    private final Map<String, Entry> entries;
    private Optional<Path> file;

    private TaskDefinitionCache(int capacity, Optional<Path> file) {
        this.capacity = capacity;
        this.file = file;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TaskDefinitionCache.this.capacity;
            }
        };
    }

    /** For one run of a command. */
    public static TaskDefinitionCache inMemory() {
        return new TaskDefinitionCache(DEFAULT_CAPACITY, Optional.empty());
    }

    /** Kept in {@code file} across runs: what it holds is read now, what is learnt is appended. */
    public static TaskDefinitionCache keptIn(Path file) {
        return keptIn(file, DEFAULT_CAPACITY);
    }

    public static TaskDefinitionCache keptIn(Path file, int capacity) {
        TaskDefinitionCache cache = new TaskDefinitionCache(capacity, Optional.of(file));
        cache.load();
        return cache;
    }

    public synchronized Optional<Entry> get(String arn) {
        return Optional.ofNullable(entries.get(arn));
    }

    public synchronized void put(Entry entry) {
        if (entries.put(entry.arn(), entry) == null) {
            file.ifPresent(f -> append(f, entry));
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    private void load() {
        Path f = file.orElseThrow();
        if (!Files.exists(f)) {
            return;
        }
        int lines = 0;
        int unreadable = 0;
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                lines++;
                try {
                    Entry e = JSON.readValue(line, Entry.class);
                    entries.put(e.arn(), e);
                } catch (JsonProcessingException | RuntimeException e) {
                    unreadable++;
                }
            }
        } catch (IOException e) {
            unwritable(f, e);
            return;
        }
        if (unreadable > 0) {
            LOG.atWarn().setMessage("task-definition-cache-lines-skipped").addKeyValue("file", f)
                    .addKeyValue("lines", unreadable).log();
        }
        if (lines > entries.size()) {
            rewrite(f); // evicted, repeated or unreadable lines: keep the file as large as the cache
        }
    }

    private void append(Path f, Entry entry) {
        try {
            Files.createDirectories(f.toAbsolutePath().getParent());
            Files.writeString(f, JSON.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            unwritable(f, e);
        }
    }

    private void rewrite(Path f) {
        try {
            List<String> lines = new ArrayList<>();
            for (Entry e : entries.values()) {
                lines.add(JSON.writeValueAsString(e));
            }
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            unwritable(f, e);
        }
    }

    private void unwritable(Path f, IOException e) {
        LOG.atWarn().setMessage("task-definition-cache-unwritable").addKeyValue("file", f)
                .addKeyValue("error", e.toString()).addKeyValue("action", "keeping it in memory only").log();
        file = Optional.empty();
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
