package io.terrace.planner;

import io.terrace.planner.AttributeKeys.MetricFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudWatch Logs metric filters that count errors in the PHP components' logs (web and
 * cavalcade): each matching line adds 1 to a metric of the namespace {@code Terrace/<env>}, with
 * no dimension, so both components count into one metric per environment. The filter's name is
 * its metric's name; filter names are unique per log group only.
 */
public final class MetricFilters {

    /** One filter: its resource name in the address, its metric, and its pattern. */
    public record Filter(String resource, String metric, String pattern) {}

    /** PHP writes {@code PHP Fatal error:  Uncaught ...} to its error log. */
    public static final Filter PHP_FATAL =
            new Filter("php-fatal-errors", "PhpFatalErrors", "\"PHP Fatal error\"");
    /** {@code wpdb::print_error} logs {@code WordPress database error <error> for query ...}. */
    public static final Filter DATABASE =
            new Filter("database-errors", "DatabaseErrors", "\"WordPress database error\"");

    private MetricFilters() {}

    /** The filters on {@code c}'s log group: both for web and cavalcade, none otherwise. */
    public static List<Filter> of(Component c) {
        return c == Component.WEB || c == Component.CAVALCADE ? List.of(PHP_FATAL, DATABASE) : List.of();
    }

    /** {@code Terrace/<env>}. */
    public static String namespace(String env) {
        return "Terrace/" + env;
    }

    static Map<String, Object> attributes(String env, Component c, Filter f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(MetricFilter.LOG_GROUP, ResourceNames.logGroup(env, c));
        out.put(MetricFilter.PATTERN, f.pattern());
        out.put(MetricFilter.METRIC_NAMESPACE, namespace(env));
        out.put(MetricFilter.METRIC_NAME, f.metric());
        return out;
    }
}
