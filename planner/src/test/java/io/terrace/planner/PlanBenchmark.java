package io.terrace.planner;

import io.terrace.schema.EnvironmentSpec;
import io.terrace.schema.EnvironmentSpec.Range;
import io.terrace.schema.SpecResult;
import io.terrace.schema.SpecSet;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plan computation for 1,000 environments from observed state (BRIEF §8: ≤ 2 s on one core,
 * ≤ 512 MiB heap). Run with {@code mvn -o -q -Pbench -pl planner -am verify -DskipTests}, which
 * starts it with {@code -Xmx512m -XX:ActiveProcessorCount=1}.
 *
 * <p>One environment in ten differs from its live state: a count out of its range, a new instance
 * class, a resource missing, or a part the spec dropped. The figure is the median of ten plans
 * after five warm-up plans, from an observed state already in memory (reading the observed JSON
 * document is timed and printed separately). It also times splitting that observed state by
 * environment, as a drift sweep does: narrowing it to each environment in turn against one pass.
 */
public final class PlanBenchmark {

    private static final int ENVIRONMENTS = 1_000;

    public static void main(String[] args) throws Exception {
        int environments = args.length > 0 ? Integer.parseInt(args[0]) : ENVIRONMENTS;
        SpecGenerator generator = new SpecGenerator(42);
        List<SpecResult> specs = new ArrayList<>(environments);
        Map<String, String> revisions = new HashMap<>();
        List<ObservedResource> live = new ArrayList<>();
        int changed = 0;
        for (int i = 0; i < environments; i++) {
            String name = String.format("client%04d-production", i);
            EnvironmentSpec spec = generator.next(name);
            SpecFixture planned = null;
            if (i % 10 == 3) {
                changed++;
                planned = mutate(spec, i / 10 % 4);
            }
            EnvironmentSpec applied = spec;
            EnvironmentSpec wanted = planned == null ? spec : planned.build();
            specs.add(new SpecResult.Valid(name, "environments/" + name + ".yaml", wanted));
            revisions.put(name, "c0ffee" + i);
            for (Resource r : DesiredState.compile(applied, "applied")) {
                ObservedResource o = LiveState.resource(r, rg -> (rg.min() + rg.max()) / 2);
                if (planned != null && i / 10 % 4 == 2 && r.address().endsWith("/cdn/distribution")) {
                    continue; // missing: a create
                }
                live.add(o);
            }
        }
        SpecSet set = new SpecSet(specs, Optional.empty());
        ObservedState observed = ObservedState.of(live);
        String json = ObservedStateJson.write(observed);
        double jsonMiB = json.length() / 1048576.0;
        Planner planner = new Planner(PlanOptions.DEFAULT);

        long[] readNanos = new long[5];
        for (int i = 0; i < readNanos.length; i++) {
            long t0 = System.nanoTime();
            observed = ObservedStateJson.read(json, "observed.json");
            readNanos[i] = System.nanoTime() - t0;
        }
        json = null;
        for (int i = 0; i < 5; i++) {
            planner.plan(set, revisions, observed);
        }
        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        long[] planNanos = new long[10];
        Plan plan = null;
        for (int i = 0; i < planNanos.length; i++) {
            plan = null;
            long t0 = System.nanoTime();
            plan = planner.plan(set, revisions, observed);
            planNanos[i] = System.nanoTime() - t0;
        }
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long retained = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        Plan.Summary s = plan.summary();
        double scale = 1000.0 / environments;
        System.out.printf("environments: %d (%d changed), live resources: %d, observed JSON: %.1f MiB%n",
                environments, changed, live.size(), jsonMiB);
        System.out.printf("plan: %s to create, %s to update, %s to replace, %s to delete%n",
                s.create(), s.update(), s.replace(), s.delete());
        System.out.printf("plan time: %.0f ms per 1,000 environments (median of %d; min %.0f ms)%n",
                median(planNanos) / 1e6 * scale, planNanos.length, Arrays.stream(planNanos).min().orElseThrow() / 1e6 * scale);
        System.out.printf("observed JSON read (not part of the plan time): %.0f ms per 1,000 environments (median)%n", median(readNanos) / 1e6 * scale);
        // A sweep hands each environment its part of the observation: N narrowings, or one split.
        java.util.Set<String> names = observed.environments();
        long[] onlyNanos = new long[3];
        long[] splitNanos = new long[3];
        for (int i = 0; i < onlyNanos.length; i++) {
            long t0 = System.nanoTime();
            for (String env : names) {
                observed.only(java.util.Set.of(env));
            }
            onlyNanos[i] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            observed.perEnvironment();
            splitNanos[i] = System.nanoTime() - t0;
        }
        System.out.printf("splitting the observation by environment (%d environments, %d resources): %.0f ms by "
                + "narrowing to each environment (only), %.1f ms in one pass (perEnvironment); median of %d%n",
                names.size(), observed.resources().size(), median(onlyNanos) / 1e6, median(splitNanos) / 1e6,
                onlyNanos.length);
        System.out.printf("peak heap used: %.0f MiB while planning; %.0f MiB live after GC with specs, observed state "
                + "and plan held (max heap %d MiB, %d CPU)%n", peak / 1048576.0, retained / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576, Runtime.getRuntime().availableProcessors());
    }

    private static SpecFixture mutate(EnvironmentSpec spec, int kind) {
        SpecFixture f = SpecFixture.env(spec.name());
        f.tier = spec.tier();
        f.stage = spec.stage();
        f.availability = spec.availability();
        f.paused = spec.paused();
        f.image = spec.application().image();
        f.webCpu = spec.application().web().cpu();
        f.webMemory = spec.application().web().memory();
        f.web = spec.application().web().range();
        f.sandbox = spec.application().sandbox().enabled();
        f.cavalcade = spec.application().cavalcade();
        f.dbClass = spec.database().instanceClass();
        f.readers = spec.database().readers();
        f.proxy = spec.database().proxy();
        f.cacheNode = spec.cache().nodeType();
        f.replicas = spec.cache().replicas();
        f.searchNodes = spec.search().nodes();
        f.versioning = spec.assets().versioning();
        f.cdn = true;
        f.aliases = spec.cdn().aliases();
        f.priceClass = spec.cdn().priceClass();
        f.pageTtl = spec.cdn().pageTtl();
        f.tags = spec.tags();
        switch (kind) {
            case 0 -> f.web = new Range(f.web.max() + 1, f.web.max() + 5);       // counts out of range
            case 1 -> f.image = f.image.replace("1.42.0", "1.43.0");            // new image: 4 task updates
            case 2 -> { }                                                       // CDN missing live: create
            default -> f.sandbox = !f.sandbox;                                  // sandbox added or dropped
        }
        return f;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
