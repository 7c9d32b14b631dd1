package io.terrace.reconciler.aws.monitoring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The environments' CloudWatch alarms that are in ALARM, a health signal: one paged DescribeAlarms
 * sweep per region and observe, filtered by the API to {@code StateValue=ALARM} (and to the
 * prefix {@code terrace-<env>-} for one environment), then here to the names Terrace gives alarms,
 * {@code terrace-<env>-<alarm>}. Quiet alarms are not returned, so a sweep of a healthy region is
 * one call with an empty page.
 */
public final class FiringAlarms {

    /** What every alarm name Terrace gives starts with. */
    public static final String PREFIX = "terrace-";

    private FiringAlarms() {}

    /**
     * The names of the alarms in ALARM, by environment (environments with none are left out). A
     * name is the environment's whose {@code terrace-<env>-} prefix it has, the longest such
     * environment when several have (so {@code acme-prod}'s alarms are never {@code acme}'s when
     * both are observed together).
     */
    public static Map<String, List<String>> of(CloudWatchClient cloudWatch, Collection<String> environments) {
        Map<String, List<String>> out = new TreeMap<>();
        if (environments.isEmpty()) {
            return out;
        }
        List<String> byLength = new ArrayList<>(environments);
        byLength.sort(Comparator.comparingInt(String::length).reversed());
        // Many environments: the region's firing alarms, whatever their name (the names are
        // checked below), rather than state and prefix, of which an emulator may apply only the
        // prefix (moto does) and answer with every alarm of the fleet in one page.
        DescribeAlarmsRequest.Builder request = DescribeAlarmsRequest.builder()
                .stateValue(StateValue.ALARM)
                .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                .maxRecords(100);
        if (environments.size() == 1) {
            request.alarmNamePrefix(PREFIX + environments.iterator().next() + "-");
        }
        cloudWatch.describeAlarmsPaginator(request.build()).forEach(page -> {
            // The state is checked here too: an emulator may apply only one of the two filters.
            page.metricAlarms().stream().filter(a -> a.stateValue() == StateValue.ALARM)
                    .forEach(a -> add(out, a.alarmName(), byLength));
            page.compositeAlarms().stream().filter(a -> a.stateValue() == StateValue.ALARM)
                    .forEach(a -> add(out, a.alarmName(), byLength));
        });
        return out;
    }

    private static void add(Map<String, List<String>> out, String alarm, List<String> byLength) {
        owner(alarm, byLength).ifPresent(env -> out.computeIfAbsent(env, k -> new ArrayList<>()).add(alarm));
    }

    private static Optional<String> owner(String alarm, List<String> byLength) {
        return byLength.stream().filter(env -> alarm.startsWith(PREFIX + env + "-")).findFirst();
    }
}
