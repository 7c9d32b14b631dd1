package io.terrace.reconciler.cluster;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A cluster node as a process of its own, for {@link KilledNodeIT} to kill with SIGKILL:
 * {@code ClusterNodeMain URL NODE-ID CHECKIN-MILLIS WORKERS}. Its runs hold their key until the
 * process dies. Prints "ready" once its scheduler has started.
 */
public final class ClusterNodeMain {

    private ClusterNodeMain() {}

    public static void main(String[] args) throws Exception {
        CountDownLatch forever = new CountDownLatch(1);
        TestNode.start(args[0], args[1], Duration.ofMillis(Long.parseLong(args[2])), Integer.parseInt(args[3]),
                RecordingJob.Work.until(forever));
        System.out.println("ready");
        System.out.flush();
        forever.await();
    }
}
