package io.terrace.drift;

import io.terrace.planner.Address;
import io.terrace.planner.AttributeKeys.EcsService;
import io.terrace.planner.AttributeKeys.Observed;
import io.terrace.planner.Change;
import io.terrace.planner.EnvironmentPlan;
import io.terrace.planner.ObservedResource;
import io.terrace.planner.ObservedState;
import io.terrace.planner.Resource;
import io.terrace.planner.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The health of one environment and the reason for each signal that is not healthy, worst first
 * ({@code "web: 1/2 tasks running"}, {@code "alarm terrace-acme-db-cpu in ALARM"}). Derived by
 * {@link #assess} from what one observe read, with no call of its own: the daemon shows it next
 * to the sync condition, and {@code terrace status} prints it.
 *
 * <p>Signals: a desired resource not live is missing; an ECS service whose primary deployment
 * failed, or that runs fewer tasks than desired once its rollout is over (or has been in progress
 * longer than {@link #ROLLOUT_DEADLINE}), is degraded, and one still rolling out is progressing;
 * the status word of a network stack, ECS cluster, Aurora cluster, instance, reader or proxy,
 * ElastiCache group or CloudFront distribution is healthy, progressing or degraded
 * ({@link #ofStatus}); an OpenSearch domain processing a change is progressing; every alarm of
 * the environment in ALARM is degraded.
 */
public record EnvironmentHealth(Health health, List<String> reasons) {

    /**
     * How long a rollout may run with fewer tasks than desired before it counts as degraded (Argo
     * CD's default progress deadline): tasks that crash-loop keep a rollout "in progress" forever
     * when no circuit breaker stops it.
     */
    public static final Duration ROLLOUT_DEADLINE = Duration.ofMinutes(10);

    /** Status words that mean settled and serving, in any service's spelling (lower case). */
    private static final Set<String> SETTLED = Set.of("available", "active", "deployed", "create_complete",
            "update_complete", "update_rollback_complete", "import_complete");
    /** Parts of status words that mean broken (lower case). */
    private static final List<String> BROKEN = List.of("fail", "incompatible", "insufficient", "inaccessible",
            "error", "suspend", "stopped", "stopping", "storage-full", "rollback_complete");

    /** The types whose {@code status} word is a signal ({@link #ofStatus}). */
    private static final Set<ResourceType> STATUS_TYPES = EnumSet.of(ResourceType.NETWORK_STACK,
            ResourceType.ECS_CLUSTER, ResourceType.RDS_CLUSTER, ResourceType.RDS_WRITER, ResourceType.RDS_PROXY,
            ResourceType.ELASTICACHE_REPLICATION_GROUP, ResourceType.CLOUDFRONT_DISTRIBUTION);

    public EnvironmentHealth {
        Objects.requireNonNull(health, "health");
        reasons = List.copyOf(reasons);
    }

    /** Health that could not be assessed, and why. */
    public static EnvironmentHealth unknown(String reason) {
        return new EnvironmentHealth(Health.UNKNOWN, List.of(reason));
    }

    /** The worst signal's reason, if the environment is not healthy. */
    public Optional<String> firstReason() {
        return reasons.stream().findFirst();
    }

    /** One signal: a health and its reason, about one address (or an alarm). */
    private record Signal(Health health, String about, String reason) {}

    /**
     * @param desired  the resources the spec wants (none for an environment whose spec is gone)
     * @param observed the environment's live resources, as one observe read them
     * @param alarms   the names of the environment's alarms in ALARM
     * @param now      for the age of a rollout
     */
    public static EnvironmentHealth assess(Collection<Resource> desired, Collection<ObservedResource> observed,
                                           Collection<String> alarms, Instant now) {
        Map<String, ObservedResource> live = new TreeMap<>();
        observed.forEach(o -> live.put(o.address(), o));
        List<Signal> signals = new ArrayList<>();
        desired.stream().map(Resource::address).filter(a -> !live.containsKey(a)).sorted()
                .forEach(a -> signals.add(new Signal(Health.MISSING, a, label(a) + " missing")));
        live.values().forEach(o -> signals.addAll(signals(o, now)));
        // "~" sorts alarms after the resources' own signals of the same health.
        alarms.stream().sorted().forEach(a -> signals.add(new Signal(Health.DEGRADED, "~" + a, "alarm " + a + " in ALARM")));
        Health health = Health.HEALTHY;
        for (Signal s : signals) {
            health = health.worst(s.health());
        }
        List<String> reasons = signals.stream()
                .sorted(Comparator.comparing((Signal s) -> -s.health().ordinal()).thenComparing(Signal::about))
                .map(Signal::reason)
                .toList();
        return new EnvironmentHealth(health, reasons);
    }

    /** The health of a planned environment: the plan's desired resources against what it was planned from. */
    public static EnvironmentHealth assess(EnvironmentPlan plan, ObservedState observed, Instant now) {
        return assess(plan.changes().stream().map(Change::desired).flatMap(Optional::stream).toList(),
                observed.environment(plan.name()), observed.alarms(plan.name()), now);
    }

    private static List<Signal> signals(ObservedResource o, Instant now) {
        String label = label(o.address());
        List<Signal> out = new ArrayList<>();
        Map<String, Object> a = o.attributes();
        switch (o.type()) {
            case ECS_SERVICE -> service(o, now).ifPresent(out::add);
            case OPENSEARCH_DOMAIN -> {
                if (Boolean.TRUE.equals(a.get(Observed.PROCESSING))) {
                    out.add(new Signal(Health.PROGRESSING, o.address(), label + " processing"));
                }
            }
            case RDS_READERS -> {
                if (a.get(Observed.MEMBER_STATUSES) instanceof Map<?, ?> members) {
                    new TreeMap<>(members).forEach((id, status) -> {
                        Health h = ofStatus(String.valueOf(status));
                        if (h != Health.HEALTHY) {
                            out.add(new Signal(h, o.address() + "/" + id, label + ": " + id + " " + status));
                        }
                    });
                }
            }
            default -> { }
        }
        if (STATUS_TYPES.contains(o.type()) && a.get(Observed.STATUS) instanceof String status) {
            Health h = ofStatus(status);
            if (h != Health.HEALTHY) {
                out.add(new Signal(h, o.address(), label + " " + status));
            }
        }
        return out;
    }

    /** Running against desired tasks, and the primary deployment's rollout. */
    private static Optional<Signal> service(ObservedResource o, Instant now) {
        Map<String, Object> a = o.attributes();
        String label = Address.parse(o.address()).component().id();
        String rollout = a.get(Observed.ROLLOUT_STATE) instanceof String s ? s : "";
        if (rollout.equals("FAILED")) {
            String why = a.get(Observed.ROLLOUT_REASON) instanceof String r && !r.isBlank() ? ": " + r : "";
            return Optional.of(new Signal(Health.DEGRADED, o.address(), label + ": rollout failed" + why));
        }
        if (!(a.get(Observed.RUNNING_COUNT) instanceof Number running)
                || !(a.get(EcsService.DESIRED_COUNT) instanceof Number desired)) {
            return Optional.empty();
        }
        String tasks = running.intValue() + "/" + desired.intValue() + " tasks running";
        boolean rolling = rollout.equals("IN_PROGRESS");
        if (running.intValue() < desired.intValue()) {
            Optional<Duration> age = startedAt(a).map(t -> Duration.between(t, now));
            if (rolling && age.map(d -> d.compareTo(ROLLOUT_DEADLINE) <= 0).orElse(true)) {
                return Optional.of(new Signal(Health.PROGRESSING, o.address(), label + ": rollout in progress, " + tasks));
            }
            return Optional.of(new Signal(Health.DEGRADED, o.address(), label + ": " + tasks
                    + (rolling ? ", rollout in progress for " + age.get().toMinutes() + "m" : "")));
        }
        int pending = a.get(Observed.PENDING_COUNT) instanceof Number p ? p.intValue() : 0;
        if (rolling && (pending > 0 || running.intValue() > desired.intValue())) {
            return Optional.of(new Signal(Health.PROGRESSING, o.address(), label + ": rollout in progress, " + tasks));
        }
        return Optional.empty();
    }

    private static Optional<Instant> startedAt(Map<String, Object> a) {
        if (a.get(Observed.ROLLOUT_STARTED_AT) instanceof String s) {
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * A status word of any service read as health: settled words ({@code available},
     * {@code ACTIVE}, {@code Deployed}, {@code CREATE_COMPLETE}…) are healthy, words of failure
     * ({@code failed}, {@code incompatible-network}, {@code stopped}, {@code ROLLBACK_COMPLETE}…)
     * degraded, anything else ({@code creating}, {@code modifying}, {@code InProgress},
     * {@code UPDATE_IN_PROGRESS}…) progressing.
     */
    public static Health ofStatus(String status) {
        String s = status.toLowerCase(Locale.ROOT);
        if (SETTLED.contains(s)) {
            return Health.HEALTHY;
        }
        return BROKEN.stream().anyMatch(s::contains) ? Health.DEGRADED : Health.PROGRESSING;
    }

    /** {@code acme/search/domain} as {@code search domain}. */
    private static String label(String address) {
        Address a = Address.parse(address);
        return a.component().id() + " " + a.resource();
    }
}
