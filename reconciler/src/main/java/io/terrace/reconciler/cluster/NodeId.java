package io.terrace.reconciler.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The id a daemon gives itself in a cluster when none is configured: {@code <host>-<pid>}. It is
 * the Quartz scheduler instance id, so it must be unique among live nodes (host plus process id
 * is), and it is what logs, {@code /api} and the history show as the node that did the work.
 */
public final class NodeId {

    private static final String CURRENT = generate();

    private NodeId() {}

    /** The id of this process; the same on every call. */
    public static String current() {
        return CURRENT;
    }

    private static String generate() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        // Keep ids short and safe inside thread names and SQL text columns.
        host = host.replaceAll("[^A-Za-z0-9.-]", "-");
        if (host.length() > 60) {
            host = host.substring(0, 60);
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
