package io.terrace.reconciler.daemon;

import io.terrace.reconciler.cluster.ClusterNode;
import io.terrace.reconciler.cluster.ClusterOptions;
import io.terrace.reconciler.cluster.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the clustered JDBC store too, where a sweep's passes wait as rows in PostgreSQL, a commit's
 * pass and a Sync go ahead of them ({@link PassOrderTest} on the in-memory store).
 */
class ClusterPassOrderIT {

    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    void aCommitsPassRunsBeforeTheSweepsQueuedAheadOfIt() throws Exception {
        String url = TestPostgres.freshDatabase();
        PassOrderTest.assertWaitedForPassesGoAhead(jobs -> {
            ClusterNode node = ClusterNode.join(ClusterOptions.parse(url, Map.of(), Duration.ofSeconds(1), "node-a", 2));
            nodes.add(node);
            return new Scheduling("node-a", 2, jobs, Optional.of(node));
        });
    }
}
